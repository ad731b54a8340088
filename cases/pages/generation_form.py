"""Read the generate dialog's fields into the parameters ``generation_request`` takes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from genetics import parameters

# The dialog's names for regions and modes are genetics.parameters' (imports nothing heavy).
REGION_LABELS: dict[str, str] = parameters.REGIONS
REGION_MODES: dict[str, str] = parameters.REGION_MODES
DEFAULTS: dict[str, Any] = {
    "age_group": parameters.DEFAULT_AGE_GROUP,
    "gender": parameters.DEFAULT_GENDER,
    "gamma": parameters.GAMMA.default,
    "eta": parameters.ETA.default,
    "num_candidates": int(parameters.NUM_CANDIDATES.default),
    "resolution": parameters.DEFAULT_RESOLUTION,
}
RESOLUTIONS: tuple[int, ...] = parameters.RESOLUTIONS
LIMITS: dict[str, parameters.Limit] = {
    "gamma": parameters.GAMMA,
    "eta": parameters.ETA,
    "num_candidates": parameters.NUM_CANDIDATES,
}


class GenerationFormError(ValueError):
    """A field of the generate dialog that cannot be read; the message is shown to the user."""


def generation_params_from_form(data: Mapping[str, str]) -> tuple[dict[str, Any], str]:
    """Return ``(params, engine)`` from the posted dialog; raise GenerationFormError with a sentence."""
    params: dict[str, Any] = {
        "age_group": data.get("age_group", DEFAULTS["age_group"]),
        "gender": data.get("gender", DEFAULTS["gender"]),
    }
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
