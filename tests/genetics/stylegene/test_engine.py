"""StyleGeneEngine end to end on tiny networks (CPU, seconds)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from genetics.engine import GenerationParams, PreparedParent, RegionChoice
from genetics.errors import EngineUnavailable, NoFaceFound, StaleParent
from genetics.stylegene.checkpoints import clear_model_cache
from genetics.stylegene.crossover import MODE_FATHER, MODE_MOTHER, MODE_WEIGHT
from genetics.stylegene.engine import EngineOptions, StyleGeneEngine, candidate_seeds, cpu_computes_bfloat16
from genetics.stylegene.regions import region_index

REPO = Path(__file__).resolve().parents[3]


def _face(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = np.linspace(0, 255, 256, dtype=np.float32)
    image = base[None, :, None] * rng.uniform(0.3, 1.0, size=3) + rng.normal(0, 20, size=(256, 256, 3))
    return np.clip(image, 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def engine(tiny_folder, tiny_configs) -> StyleGeneEngine:
    clear_model_cache()
    return StyleGeneEngine(tiny_folder, options=EngineOptions(mix_from_row=4, batch_size=2), configs=tiny_configs)


@pytest.fixture(scope="module")
def parents(engine) -> tuple[PreparedParent, PreparedParent]:
    return engine.prepare_aligned(_face(1)), engine.prepare_aligned(_face(2))


def test_prepared_parent_holds_wplus_and_attributes(engine, parents):
    father, _ = parents
    assert father.arrays["wplus"].shape == (8, 16) and father.arrays["wplus"].dtype == np.float32
    assert np.array_equal(father.arrays["aligned"], _face(1))
    assert set(father.meta["attributes"]) == {"race", "gender", "age_group"}
    restored = PreparedParent.from_bytes(father.to_bytes())
    assert np.array_equal(restored.arrays["wplus"], father.arrays["wplus"])
    assert restored.model_key == engine.model_key()


def test_same_seed_is_bit_identical_and_seeds_differ(engine, parents):
    params = GenerationParams(num_candidates=3, seed=7, resolution=32, ancestry=("White",))
    first = engine.generate(*parents, params)
    second = engine.generate(*parents, params)
    assert [c.image.shape for c in first.candidates] == [(32, 32, 3)] * 3
    for a, b in zip(first.candidates, second.candidates):
        assert np.array_equal(a.image, b.image)
        assert np.array_equal(a.genes["wplus"], b.genes["wplus"])
    assert not np.array_equal(first.candidates[0].image, first.candidates[1].image)
    other = engine.generate(*parents, GenerationParams(num_candidates=1, seed=8, resolution=32, ancestry=("White",)))
    assert not np.array_equal(other.candidates[0].image, first.candidates[0].image)
    assert first.candidates[0].meta["pool_keys"] == ["3-9-female-White"]
    assert set(first.timings) == {"genes", "pool", "crossover", "decode", "generate"}
    assert set(first.model_checksums) >= {"stylegan2-ffhq-config-f.pt", "geneFactorPool.pkl"}


def test_result_does_not_depend_on_gene_cache_history(engine, parents, tiny_folder, tiny_configs):
    father, mother = parents
    params = GenerationParams(num_candidates=1, seed=2, resolution=16)
    warm = engine.generate(father, mother, params)  # cache already holds both parents
    fresh = StyleGeneEngine(tiny_folder, options=EngineOptions(mix_from_row=4), configs=tiny_configs)
    fresh.generate(mother, mother, params)  # caches only the mother
    again = fresh.generate(father, mother, params)
    assert np.array_equal(warm.candidates[0].image, again.candidates[0].image)


def test_generate_leaves_global_rng_state_alone(engine, parents):
    import random

    import torch

    random.seed(1)
    torch.manual_seed(1)
    before = random.getstate(), torch.random.get_rng_state().clone()
    engine.generate(*parents, GenerationParams(num_candidates=2, seed=4, resolution=16))
    assert random.getstate() == before[0] and torch.equal(torch.random.get_rng_state(), before[1])


def test_candidate_does_not_depend_on_batch_or_count(engine, parents):
    many = engine.generate(*parents, GenerationParams(num_candidates=3, seed=11, resolution=32))
    one = engine.render_candidate(*parents, GenerationParams(num_candidates=3, seed=11, resolution=32), 2)
    assert one.index == 2
    # Same genes; batched matmuls may reassociate sums, so W+ agrees to float precision and pixels
    # to one uint8 level (bit-identity holds for identical calls, see the test above).
    assert np.allclose(one.genes["wplus"], many.candidates[2].genes["wplus"], atol=1e-5)
    assert np.array_equal(one.genes["region_mode"], many.candidates[2].genes["region_mode"])
    assert np.abs(one.image.astype(int) - many.candidates[2].image.astype(int)).max() <= 1
    assert candidate_seeds(11, 2) == candidate_seeds(11, 3)[:2]


def test_preview_is_early_stop_of_full_render(engine, parents):
    params = GenerationParams(num_candidates=2, seed=3, resolution=16)
    preview = engine.generate(*parents, params)
    assert preview.candidates[0].image.shape == (16, 16, 3)
    full = engine.render_candidate(*parents, params, 0)
    assert full.image.shape == (32, 32, 3)
    assert np.allclose(full.genes["wplus"], preview.candidates[0].genes["wplus"], atol=1e-5)
    # Coarse structure agrees: the preview is the skip sum the full render keeps refining.
    small = full.image.reshape(16, 2, 16, 2, 3).mean(axis=(1, 3))
    assert np.corrcoef(small.ravel(), preview.candidates[0].image.ravel().astype(float))[0, 1] > 0.5


def test_bfloat16_preview_is_close_to_fp32(engine, parents, tiny_folder, tiny_configs, monkeypatch):
    monkeypatch.setattr("genetics.stylegene.engine.cpu_computes_bfloat16", lambda: True)
    params = GenerationParams(num_candidates=2, seed=3, resolution=16)
    fast = StyleGeneEngine(
        tiny_folder, options=EngineOptions(mix_from_row=4, preview_bfloat16=True), configs=tiny_configs
    )
    reference = engine.generate(*parents, params).candidates
    preview = fast.generate(*parents, params).candidates
    for a, b in zip(reference, preview):
        diff = np.abs(a.image.astype(int) - b.image.astype(int))
        assert diff.mean() < 3 and diff.max() < 40
    assert {c.meta["precision"] for c in preview} == {"bfloat16"}
    assert {c.meta["precision"] for c in reference} == {"float32"}
    full = fast.render_candidate(*parents, params, 0)  # full size stays fp32
    assert np.array_equal(full.image, engine.render_candidate(*parents, params, 0).image)


def test_bfloat16_preview_stays_fp32_on_a_cpu_that_would_emulate_it(
    engine, parents, tiny_folder, tiny_configs, monkeypatch
):
    monkeypatch.setattr("genetics.stylegene.engine.cpu_computes_bfloat16", lambda: False)
    params = GenerationParams(num_candidates=2, seed=3, resolution=16)
    fast = StyleGeneEngine(
        tiny_folder, options=EngineOptions(mix_from_row=4, preview_bfloat16=True), configs=tiny_configs
    )
    preview = fast.generate(*parents, params).candidates
    reference = engine.generate(*parents, params).candidates
    assert all(np.array_equal(a.image, b.image) for a, b in zip(preview, reference))
    assert {c.meta["precision"] for c in preview} == {"float32"}


@pytest.mark.parametrize(
    ("cpuinfo", "native"),
    [
        ("flags\t\t: fpu avx2 avx512f avx512_bf16\n", True),
        ("flags\t\t: fpu avx2 amx_bf16 amx_tile\n", True),
        ("Features\t: fp asimd bf16 i8mm\n", True),
        ("flags\t\t: fpu sse4_2 avx2 fma\n", False),
        ("", False),
    ],
)
def test_cpu_bfloat16_support_is_read_from_cpuinfo(cpuinfo, native):
    assert cpu_computes_bfloat16(cpuinfo) is native


def test_region_controls(engine, parents):
    regions = {
        "nose": RegionChoice("father"),
        "head***hair": RegionChoice("mother"),
        "eye/iris": RegionChoice("weight", 0.25),
    }
    params = GenerationParams(num_candidates=1, seed=5, resolution=16, regions=regions)
    genes = engine.generate(*parents, params).candidates[0].genes
    assert genes["region_mode"][region_index("nose")] == MODE_FATHER
    assert genes["region_mode"][region_index("hair")] == MODE_MOTHER
    assert genes["region_mode"][region_index("eye/iris")] == MODE_WEIGHT
    assert genes["father_weight"][region_index("eye/iris")] == pytest.approx(0.25)


def test_parent_from_other_models_is_refused(engine, parents):
    father, mother = parents
    stale = PreparedParent("stylegene", "stylegene-0000", father.arrays, father.meta)
    with pytest.raises(StaleParent):
        engine.generate(stale, mother, GenerationParams(num_candidates=1, resolution=16))


def test_half_precision_needs_cuda(tiny_folder):
    with pytest.raises(EngineUnavailable):
        StyleGeneEngine(tiny_folder, options=EngineOptions(half=True))


def test_prepare_parent_aligns_a_real_photo(engine, astronaut_image):
    parent = engine.prepare_parent(astronaut_image)
    assert parent.arrays["wplus"].shape == (8, 16)
    assert len(parent.meta["face_box"]) == 4


def test_build_gene_pool_from_photos(engine, astronaut_image, hopper_image, tmp_path):
    from PIL import Image

    from genetics.stylegene.gene_pool import build_pool_from_folder

    Image.fromarray(astronaut_image).save(tmp_path / "a.png")
    Image.fromarray(hopper_image).save(tmp_path / "h.png")
    (tmp_path / "table.csv").write_text(
        "file,age_group,gender,race\na.png,30-39,female,White\nh.png,70+,female,White\n"
    )
    pool = build_pool_from_folder(tmp_path, tmp_path / "table.csv", engine.encode_genes)
    assert sorted(pool.keys()) == ["30-39-female-White", "70+-female-White"]
    mu, logvar = pool.entry("30-39-female-White")[0]
    assert mu.shape == logvar.shape == (1, 8, 34, 16)
    # The nearest-age fallback finds the 30-39 face for a 20-29 query.
    assert pool.query("20-29", "female", ["White"]).keys == ["30-39-female-White"]


def test_prepare_parent_without_face_raises(engine):
    with pytest.raises(NoFaceFound):
        engine.prepare_parent(np.full((200, 200, 3), 127, dtype=np.uint8))


def test_genetics_imports_without_django_or_weights():
    code = (
        "import sys, genetics.stylegene.engine, genetics.stylegene.checkpoints, genetics.stylegene.gene_pool;"
        "import genetics.stylegene.checkpoints as c;"
        "assert 'django' not in sys.modules, 'django imported';"
        "assert not c._MODEL_CACHE, 'models loaded at import'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_candidate_becomes_a_parent_from_its_latent(engine, parents):
    child = engine.generate(
        *parents, GenerationParams(num_candidates=1, seed=3, resolution=32, ancestry=("White",))
    ).candidates[0]
    as_parent = engine.candidate_as_parent(child)
    assert np.array_equal(as_parent.arrays["wplus"], child.genes["wplus"])
    assert "attributes" not in as_parent.meta  # no FairFace on a synthetic face
    grandchild = engine.generate(
        as_parent, parents[1], GenerationParams(num_candidates=1, seed=3, resolution=32, ancestry=("White",))
    )
    assert grandchild.candidates[0].image.shape == (32, 32, 3)


def test_predicted_race_used_only_when_opted_in(engine, parents):
    from genetics.engine import ANCESTRIES

    def keys(**options):
        params = GenerationParams(num_candidates=1, seed=3, resolution=32, **options)
        return engine.generate(*parents, params).candidates[0].meta["pool_keys"]

    races = tuple(sorted({p.meta["attributes"]["race"] for p in parents}))
    assert keys() == keys(ancestry=ANCESTRIES)  # no inference: every race for the age and gender
    assert keys(infer_ancestry=True) == keys(ancestry=races)  # opted in: the predicted races


def test_non_square_inputs_resize_like_the_official_load_img(hopper_image):
    from PIL import Image

    from genetics.stylegene.engine import rgb_to_tensor

    # Official load_img: PIL bilinear Resize((256, 256)) of 8-bit pixels, ToTensor, Normalize(0.5).
    official = np.asarray(Image.fromarray(hopper_image).resize((256, 256), Image.BILINEAR), dtype=np.float32)
    official = torch.from_numpy(official / 255.0 * 2.0 - 1.0).permute(2, 0, 1)[None]
    ours = rgb_to_tensor(hopper_image)
    diff = (ours - official).abs()
    # Stated tolerance: within one 8-bit level (2/255 in [-1, 1]), rarely off at all; a resize
    # without antialiasing is 0.67 off on this 600x512 portrait.
    assert float(diff.max()) <= 2.0 / 255.0 + 1e-6
    assert float(diff.mean()) < 0.002


def test_prepared_parents_are_cached_by_photo_and_box(engine, astronaut_image):
    from genetics.engine import FaceBox

    engine.forget_parents()
    first = engine.prepare_parent(astronaut_image)
    assert {"seconds_detect", "seconds_align", "seconds_encode", "seconds_attributes"} <= set(first.meta)
    assert engine.prepare_parent(astronaut_image.copy()) is first  # same pixels, same box: no work
    boxed = engine.prepare_parent(astronaut_image, face_box=FaceBox(*first.meta["face_box"]))
    assert boxed is not first and np.array_equal(boxed.arrays["wplus"], first.arrays["wplus"])
    engine.forget_parents()
    assert engine.prepare_parent(astronaut_image) is not first


def test_app_regions_reach_every_gene_they_cover(engine, parents):
    """The app sends "eyes"; StyleGene must copy all seven eye genes from the chosen parent."""
    from genetics.parameters import ENGINE_REGION_GENES

    params = GenerationParams(
        num_candidates=1,
        seed=3,
        resolution=32,
        ancestry=("White",),
        regions={
            "eyes": RegionChoice("father"),
            "nose": RegionChoice("weight", 0.8),
            "eye/iris": RegionChoice("mother"),
        },
    )
    modes = engine.generate(*parents, params).candidates[0].genes["region_mode"]
    covered = ENGINE_REGION_GENES["stylegene"]
    assert [modes[region_index(g)] for g in covered["nose"]] == [MODE_WEIGHT] * 5
    eyes = {g: modes[region_index(g)] for g in covered["eyes"]}
    assert eyes.pop("eye/iris") == MODE_MOTHER  # a gene named directly wins over its region's choice
    assert set(eyes.values()) == {MODE_FATHER}
