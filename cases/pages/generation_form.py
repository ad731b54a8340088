"""Read the generate dialog's fields into the parameters ``generation_request`` takes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The offline engine's region genes (genetics.offline.genes.REGION_NAMES), named for people; a test keeps the
# two lists equal. Kept here so the web process does not import the engine to draw a form.
REGION_LABELS: dict[str, str] = {
    "eyes": "Eyes", "brows": "Eyebrows", "nose": "Nose", "mouth": "Mouth", "outline": "Face shape",
    "skin": "Skin tone", "texture": "Skin detail", "hair": "Hair and background",
}
REGION_MODES: dict[str, str] = {
    "default": "By chance", "father": "Like the first parent", "mother": "Like the second parent",
    "weight": "A blend (slider)", "mutate": "New, from the gene pool",
}
DEFAULTS: dict[str, Any] = {"age_group": "3-9", "gender": "female", "gamma": 0.47, "eta": 0.4, "num_candidates": 4,
                            "resolution": 512}


class GenerationFormError(ValueError):
    """A field of the generate dialog that cannot be read; the message is shown to the user."""


def generation_params_from_form(data: Mapping[str, str]) -> tuple[dict[str, Any], str]:
    """Return ``(params, engine)`` from the posted dialog; raise GenerationFormError with a sentence."""
    params: dict[str, Any] = {"age_group": data.get("age_group", DEFAULTS["age_group"]),
                              "gender": data.get("gender", DEFAULTS["gender"])}
    params["gamma"] = _number(data, "gamma", float, "Variation")
    params["eta"] = _number(data, "eta", float, "Regions from the gene pool")
    params["num_candidates"] = _number(data, "num_candidates", int, "The number of candidates")
    params["resolution"] = _number(data, "resolution", int, "The image size")
    if data.get("seed", "").strip():
        params["seed"] = _number(data, "seed", int, "The seed")
    regions = {}
    for name, label in REGION_LABELS.items():
        mode = data.get(f"region-{name}-mode", "default")
        if mode not in REGION_MODES:
            raise GenerationFormError(f"{label}: choose one of the listed ways to inherit it.")
        if mode == "default":
            continue
        # The slider reads "first parent ← → second parent"; the engine's weight is the first parent's share.
        share_second = _number(data, f"region-{name}-weight", float, f"{label} blend") if mode == "weight" else 0.5
        if not 0 <= share_second <= 1:
            raise GenerationFormError(f"{label} blend must lie between the two parents.")
        regions[name] = {"mode": mode, "weight": round(1 - share_second, 4)}
    if regions:
        params["regions"] = regions
    return params, data.get("engine", "auto")


def _number(data: Mapping[str, str], key: str, kind: type, label: str) -> Any:
    raw = data.get(key, "")
    if raw == "" and key in DEFAULTS:
        return DEFAULTS[key]
    try:
        return kind(raw)
    except ValueError as error:
        raise GenerationFormError(f"{label} must be a number (got “{raw}”).") from error
