"""A generated child can be a parent in a further generation without being re-detected."""

import numpy as np

from genetics.engine import GenerationParams


def test_candidate_as_parent_feeds_the_next_generation(monkeypatch):
    import genetics.offline.engine as offline_engine
    from genetics import samples
    from genetics.offline import OfflineEngine

    engine = OfflineEngine()
    father = engine.prepare_parent(samples.grace_hopper())
    mother = engine.prepare_parent(samples.astronaut())
    params = GenerationParams(num_candidates=1, seed=3, resolution=256, age_group="20-29")
    child = engine.generate(father, mother, params).candidates[0]

    def no_detection(*args, **kwargs):
        raise AssertionError("a candidate parent must not be re-detected")

    monkeypatch.setattr(offline_engine, "detect_faces", no_detection)
    as_parent = engine.candidate_as_parent(child)
    assert as_parent.engine == "offline" and as_parent.arrays["aligned"].shape == (1024, 1024, 3)
    # The portrait is aligned like a photo: eyes where FFHQ puts them, no detector run.
    eyes = as_parent.arrays["landmarks"][36:48].mean(axis=0)
    assert np.allclose(eyes, [0.5, 0.47], atol=0.03)
    assert as_parent.arrays["embedding"].shape == (128,)
    monkeypatch.undo()
    grandchild = engine.generate(as_parent, mother, params).candidates[0]
    assert grandchild.image.shape == (256, 256, 3)
