"""``python -m genetics check`` on StyleGene checkpoint folders."""

from __future__ import annotations

from genetics.cli import main


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
