"""The ``check`` and ``synthesize`` entry points (argument parsing and the check report)."""

from __future__ import annotations

import argparse

import pytest

from genetics.stylegene.cli import add_subcommands, main


def test_check_reports_every_file_and_fails_on_tiny_files(tiny_folder, capsys):
    assert main(["check", str(tiny_folder), "--skip-gene-pool"]) == 1
    out = capsys.readouterr().out
    for name in ("stylegan2-ffhq-config-f.pt", "e4e_ffhq_encode.pt", "stylegene_N18.ckpt",
                 "res34_fair_align_multi_7_20190809.pt"):
        assert name in out
    assert "expected [1, 512, 512, 3, 3]" in out


def test_check_missing_folder(tmp_path, capsys):
    assert main(["check", str(tmp_path / "absent")]) == 1
    assert "does not exist" in capsys.readouterr().out


def test_synthesize_arguments_register_on_a_shared_parser(tmp_path):
    parser = argparse.ArgumentParser()
    add_subcommands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["synthesize", "--checkpoints", str(tmp_path), "--father", "a.jpg", "--mother",
                              "b.jpg", "--age", "3-9", "--gender", "female", "--gamma", "0.47", "--eta", "0.4",
                              "--seed", "7", "-n", "8", "--out", str(tmp_path / "out")])
    assert (args.n, args.seed, args.age, args.func.__name__) == (8, 7, "3-9", "run_synthesize")
    with pytest.raises(SystemExit):
        parser.parse_args(["synthesize", "--father", "a", "--mother", "b", "--out", "o", "--age", "5"])
