"""The one definition of generation limits and regions, and each engine's mapping onto its genes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from genetics.engine import GenerationParams, RegionChoice
from genetics.parameters import (
    ENGINE_REGION_GENES,
    FAVOURED_REGIONS,
    GAMMA,
    NUM_CANDIDATES,
    REGIONS,
    engine_regions,
    region_genes,
)


def test_stylegene_regions_cover_every_gene_but_the_background_once():
    from genetics.stylegene.regions import BACKGROUND, REGION_NAMES

    covered = [gene for genes in ENGINE_REGION_GENES["stylegene"].values() for gene in genes]
    assert len(covered) == len(set(covered))
    assert sorted(covered) == sorted(n for i, n in enumerate(REGION_NAMES) if i != BACKGROUND)


def test_offline_regions_are_its_genes():
    from genetics.offline.genes import GENES, HAIR

    assert engine_regions("offline") == tuple(REGIONS)
    assert sorted((*GENES, HAIR)) == sorted(REGIONS)  # every region drawn, once


def test_every_engine_has_the_favoured_regions():
    for engine in ENGINE_REGION_GENES:
        assert set(FAVOURED_REGIONS) <= set(engine_regions(engine))


def test_region_genes_expands_app_regions_and_keeps_engine_names():
    father, mother = RegionChoice("father"), RegionChoice("mother")
    genes = region_genes("stylegene", {"brows": father, "eyebrow": mother, "eye/iris": father})
    assert genes == {"eyebrow": mother, "frown": father, "eye/iris": father}
    assert region_genes("offline", {"eyes": father}) == {"eyes": father}
    with pytest.raises(ValueError, match="unknown engine"):
        engine_regions("nope")


def test_limits_are_what_generation_params_checks():
    assert GAMMA.contains(0.0) and not GAMMA.contains(1.0) and GAMMA.describe() == "[0, 1)"
    GenerationParams(num_candidates=int(NUM_CANDIDATES.high))
    with pytest.raises(ValueError, match=r"num_candidates must be in \[1, 16\]"):
        GenerationParams(num_candidates=int(NUM_CANDIDATES.high) + 1)
    with pytest.raises(ValueError, match="gamma"):
        GenerationParams(gamma=1.0)


def test_parameters_import_neither_numpy_nor_torch():
    code = "import sys, genetics.parameters; print(sorted({'numpy', 'torch', 'django'} & set(sys.modules)))"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    )
