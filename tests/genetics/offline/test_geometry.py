"""Landmark regions, growth toward an age group and piecewise-affine warping."""

from __future__ import annotations

import numpy as np
import pytest

from genetics.offline import geometry


@pytest.fixture(scope="module")
def adult(astronaut_image: np.ndarray) -> np.ndarray:
    from genetics import faces

    face = faces.detect_faces(astronaut_image)[0]
    return faces.align_landmarks(face.landmarks, 1024) / 1024


def _eye_gap(lm: np.ndarray) -> float:
    return float(np.linalg.norm(lm[42:48].mean(axis=0) - lm[36:42].mean(axis=0)))


def test_regions_cover_the_68_points_once() -> None:
    indices = sorted(i for points in geometry.REGION_POINTS.values() for i in points)
    assert indices == list(range(68))


def test_growth_ratios_undo_exactly(adult: np.ndarray) -> None:
    for group in ("0-2", "3-9", "10-19"):
        grown = geometry._scale_growth(adult, geometry.growth_for(group), inverse=False)
        assert np.allclose(geometry.to_adult(grown, group), adult, atol=1e-12)


def test_child_proportions(adult: np.ndarray) -> None:
    child = geometry.toward_age(adult, "3-9")
    eye_y = adult[36:48, 1].mean()
    # The chin returns most of the way to the adult's height; the eyes get larger.
    eye_line = adult[36:48, 1].mean()
    restored = (child[8, 1] - eye_line) / (adult[8, 1] - eye_line)
    assert 0.85 < restored < 1.0
    assert _eye_gap(child) > _eye_gap(adult) * 1.1
    # Nose-to-chin shrinks relative to the eyes: the lower face of a child is short.
    adult_lower = (adult[8, 1] - adult[33, 1]) / _eye_gap(adult)
    child_lower = (child[8, 1] - child[33, 1]) / _eye_gap(child)
    assert child_lower < adult_lower * 0.9
    assert (child[33, 1] - child[36:48, 1].mean()) / _eye_gap(child) < (adult[33, 1] - eye_y) / _eye_gap(adult)
    # Toddlers are further from adult proportions than children, adults are unchanged.
    toddler = geometry.toward_age(adult, "0-2")
    assert _eye_gap(toddler) > _eye_gap(child)
    assert np.array_equal(geometry.toward_age(adult, "40-49"), adult)


def test_mesh_has_fixed_border_and_moving_forehead(adult: np.ndarray) -> None:
    mesh = geometry.mesh_points(adult)
    moved = adult + np.array([0.01, 0.02])
    moved_mesh = geometry.mesh_points(moved)
    border = slice(68 + 10 + len(geometry.NECK_POINTS), None)
    assert np.array_equal(mesh[border], moved_mesh[border])
    assert np.allclose(moved_mesh[68:78] - mesh[68:78], [0.01, 0.02])
    assert (mesh[68:78, 1] < adult[17:27, 1]).all()


def test_identity_warp_keeps_the_image(hopper_image: np.ndarray, adult: np.ndarray) -> None:
    image = np.ascontiguousarray(hopper_image[:256, :256])
    mesh = geometry.mesh_points(adult)
    tri = geometry.triangulate(mesh)
    same = geometry.warp(image, mesh, mesh, tri)
    assert np.abs(same.astype(int) - image.astype(int)).max() <= 1


def test_warp_moves_a_marked_point(adult: np.ndarray) -> None:
    size = 256
    image = np.zeros((size, size, 3), dtype=np.uint8)
    nose = adult[30] * size
    image[int(nose[1]) - 2 : int(nose[1]) + 3, int(nose[0]) - 2 : int(nose[0]) + 3] = 255
    src = geometry.mesh_points(adult)
    shifted = adult.copy()
    shifted[27:36] += np.array([0.03, 0.0])
    dst = geometry.mesh_points(shifted)
    out = geometry.warp(image, src, dst, geometry.triangulate(src))
    ys, xs = np.nonzero(out[..., 0] > 128)
    assert xs.mean() == pytest.approx(nose[0] + 0.03 * size, abs=1.5)
    assert ys.mean() == pytest.approx(nose[1], abs=1.5)


def test_a_warp_bends_smoothly_across_its_triangles_edges(adult: np.ndarray) -> None:
    # A baby's larger eyes on an adult's mesh: the triangles round the eyes stretch unlike their
    # neighbours. Each pixel holds its own column (or row), so the warped image is the warp's map.
    size = 512
    cols = np.repeat(np.arange(size, dtype=np.float32)[None, :], size, axis=0)
    src = geometry.mesh_points(adult)
    large = adult.copy()
    for eye in (slice(36, 42), slice(42, 48)):
        centre = large[eye].mean(axis=0)
        large[eye] = centre + (large[eye] - centre) * 1.4
    dst = geometry.mesh_points(large)
    top, bottom = (int(adult[i, 1] * size) for i in (19, 29))
    left, right = (int(adult[i, 0] * size) for i in (0, 16))
    for image in (cols, np.ascontiguousarray(cols.T)):
        warped = geometry.warp(image, src, dst, geometry.triangulate(src)).astype(np.float64)
        band = warped[top:bottom, left:right]
        bend = max(np.abs(np.diff(band, 2, axis=axis)).max() for axis in (0, 1))
        # Piecewise affine, the map bent by up to a pixel per pixel along a triangle's edge (1.07):
        # a straight crease from the eye's outer corner to the face's side.
        assert bend < 0.15, bend
    # The eye's outer corner still lands where it is sent, within a couple of pixels.
    dot = np.zeros((size, size), dtype=np.float32)
    x, y = (adult[45] * size).astype(int)
    dot[y - 2 : y + 3, x - 2 : x + 3] = 1.0
    ys, xs = np.nonzero(geometry.warp(dot, src, dst, geometry.triangulate(src)) > 0.5)
    assert np.hypot(xs.mean() - large[45, 0] * size, ys.mean() - large[45, 1] * size) < 3.0


def test_closing_the_mouth_meets_the_inner_lips_and_moves_only_the_lips(adult: np.ndarray) -> None:
    # The astronaut smiles with her teeth: her inner lips stand apart.
    gaps = [adult[lower, 1] - adult[upper, 1] for upper, lower in geometry.INNER_LIPS]
    assert min(gaps) > 3 * geometry.LIP_PARTING
    closed = geometry.close_mouth(adult)
    for (upper, lower), (outer_upper, outer_lower), gap in zip(geometry.INNER_LIPS, geometry.OUTER_LIPS, gaps):
        assert closed[lower, 1] - closed[upper, 1] == pytest.approx(geometry.LIP_PARTING)
        # The lips meet about the opening's middle, the outer lips following by half as much.
        assert (closed[upper, 1] + closed[lower, 1]) / 2 == pytest.approx((adult[upper, 1] + adult[lower, 1]) / 2)
        shift = (gap - geometry.LIP_PARTING) / 4
        assert closed[outer_upper, 1] - adult[outer_upper, 1] == pytest.approx(shift)
        assert adult[outer_lower, 1] - closed[outer_lower, 1] == pytest.approx(shift)
    moved = {i for pair in geometry.INNER_LIPS + geometry.OUTER_LIPS for i in pair}
    still = [i for i in range(68) if i not in moved]
    assert np.array_equal(closed[still], adult[still]) and np.array_equal(closed[:, 0], adult[:, 0])
    # A closed mouth stays as it is.
    assert np.allclose(geometry.close_mouth(closed), closed, rtol=0.0, atol=1e-12)


def test_lips_parted_as_the_widest_face_keep_their_middle_and_the_rest_of_the_face(adult: np.ndarray) -> None:
    # The astronaut smiles with her teeth; her mouth closed is the other face, and the mean of the
    # two is parted half as wide.
    closed = geometry.close_mouth(adult)
    mean = (adult + closed) / 2.0
    parted = geometry.parted_as_widest(mean, (closed, adult))
    assert geometry.lip_parting(mean) < 0.6 * geometry.lip_parting(adult)
    for upper, lower in geometry.INNER_LIPS:
        assert parted[lower, 1] - parted[upper, 1] == pytest.approx(adult[lower, 1] - adult[upper, 1])
        assert (parted[upper, 1] + parted[lower, 1]) / 2 == pytest.approx((mean[upper, 1] + mean[lower, 1]) / 2)
    inner = [i for pair in geometry.INNER_LIPS for i in pair]
    still = [i for i in range(68) if i not in inner]
    assert np.array_equal(parted[still], mean[still]) and np.array_equal(parted[:, 0], mean[:, 0])
    # Lips already parted wider than every face's stay as they are.
    assert np.array_equal(geometry.parted_as_widest(adult, (closed,)), adult)


def test_a_smiles_corners_rise_above_its_inner_lips_and_a_flat_mouths_do_not(adult: np.ndarray) -> None:
    # The astronaut smiles; her mouth's corners moved down to her inner lips' middle do not.
    assert geometry.smile_lift(adult) > 0.08
    flat = adult.copy()
    flat[[48, 54], 1] = (adult[62, 1] + adult[66, 1]) / 2
    assert geometry.smile_lift(flat) == pytest.approx(0.0, abs=1e-12)
    # Corners below it turn down (a frown); the measure is the mouth's width's share.
    frown = flat.copy()
    width = float(adult[54, 0] - adult[48, 0])
    frown[[48, 54], 1] += 0.1 * width
    assert geometry.smile_lift(frown) == pytest.approx(-0.1)


def test_a_laugh_narrows_to_the_widest_opening_its_chin_rising_and_a_smaller_one_stays(adult: np.ndarray) -> None:
    width = adult[54, 0] - adult[48, 0]
    # The astronaut's lips drawn apart to a laugh: 0.4 of the mouth's width at every pair.
    laugh = adult.copy()
    for (upper, lower), (outer_upper, outer_lower) in zip(geometry.INNER_LIPS, geometry.OUTER_LIPS):
        middle = (adult[upper, 1] + adult[lower, 1]) / 2
        laugh[upper, 1], laugh[lower, 1] = middle - 0.2 * width, middle + 0.2 * width
        laugh[outer_upper, 1], laugh[outer_lower, 1] = middle - 0.3 * width, middle + 0.3 * width
    narrowed = geometry.close_mouth(laugh, 0.2)
    shut = geometry.close_mouth(laugh)
    drop = (0.4 - geometry.JAW_DROP_PARTING) * width
    for (upper, lower), (outer_upper, outer_lower) in zip(geometry.INNER_LIPS, geometry.OUTER_LIPS):
        assert narrowed[lower, 1] - narrowed[upper, 1] == pytest.approx(0.2 * width)
        # A laugh drops the jaw past a smile's parting (0.4 - 0.2): narrowed to that parting, the
        # lower lip rises by all of the drop and the upper lip stays where it is.
        assert np.array_equal(narrowed[[upper, outer_upper]], laugh[[upper, outer_upper]])
        assert laugh[outer_lower, 1] - narrowed[outer_lower, 1] == pytest.approx(drop)
        # Shut, the lips close the smile's parting about its middle as well (half each, the outer
        # lips a quarter), on top of the jaw's drop.
        part = 0.2 * width - geometry.LIP_PARTING
        assert shut[upper, 1] - laugh[upper, 1] == pytest.approx(part / 2)
        assert shut[outer_upper, 1] - laugh[outer_upper, 1] == pytest.approx(part / 4)
        assert laugh[outer_lower, 1] - shut[outer_lower, 1] == pytest.approx(drop + part / 4)
    # The chin rises with the lower lip by the whole drop, tapering off towards the jaw's angles
    # (by half of it until 0.1.43: a laugh's children kept a long chin).
    for closed in (narrowed, shut):
        assert laugh[8, 1] - closed[8, 1] == pytest.approx(drop)
        assert 0.0 < laugh[6, 1] - closed[6, 1] < laugh[8, 1] - closed[8, 1]
        assert np.array_equal(closed[[0, 1, 2, 3, 13, 14, 15, 16]], laugh[[0, 1, 2, 3, 13, 14, 15, 16]])
        # The lower lip's outline beside the corners rises half as far; the corners stay.
        assert laugh[55, 1] - closed[55, 1] == pytest.approx(drop / 2)
        assert np.array_equal(closed[[48, 54]], laugh[[48, 54]])
    # Her own smile parts her lips less than that: kept as it is.
    gaps = [adult[lower, 1] - adult[upper, 1] for upper, lower in geometry.INNER_LIPS]
    assert max(gaps) < 0.2 * width
    assert np.array_equal(geometry.close_mouth(adult, 0.2), adult)


def test_an_open_mouth_warped_onto_closed_lips_has_no_seams_across_the_upper_lip(adult: np.ndarray) -> None:
    # Each pixel of the source holds its own row, so a warped pixel says which row it came from.
    # Across the upper lip of the closed mouth, neighbours in a row must come from neighbouring
    # rows: on closed lips Delaunay had joined upper outer-lip points to lower inner ones, and the
    # lower lip came back squeezed into wedges (a jump of many rows: a vertical seam).
    size = 512
    rows = np.repeat(np.arange(size, dtype=np.float32)[:, None], size, axis=1)
    closed = geometry.close_mouth(adult)
    src, dst = geometry.mesh_points(adult), geometry.mesh_points(closed)
    warped = geometry.warp(rows, src, dst, geometry.triangulate(dst))
    left, right = (int(round(closed[i, 0] * size)) + 3 for i in (48, 54))
    right -= 6
    worst = 0.0
    for x in range(left, right):
        top = np.interp(x / size, closed[48:55, 0], closed[48:55, 1]) * size
        parting = np.interp(x / size, closed[60:65, 0], closed[60:65, 1]) * size
        band = warped[int(np.ceil(top)) + 1 : int(np.floor(parting)) - 1, x : x + 2]
        if band.size:
            worst = max(worst, float(np.abs(np.diff(band, axis=1)).max()))
    # A smooth warp moves a row by about the lips' stretch (a few rows); a seam by the opening.
    assert worst < 3.0, worst


def test_a_fitted_mouth_is_the_templates_shape_at_the_mouths_place_and_width(adult: np.ndarray) -> None:
    # A flat, closed template mouth put on the astronaut's smile.
    template = adult.copy()
    template[48:68, 1] = template[48:68, 1].mean()
    template[48:68, 0] = (template[48:68, 0] - template[48:68, 0].mean()) * 0.5 + 0.3
    fitted = geometry.fit_mouth(adult, template)
    assert np.array_equal(fitted[:48], adult[:48])
    assert np.allclose(fitted[48:68].mean(axis=0), adult[48:68].mean(axis=0))
    assert fitted[54, 0] - fitted[48, 0] == pytest.approx(adult[54, 0] - adult[48, 0])
    # Her smile's raised corners are gone: the template's shape, scaled; half way, half of it.
    assert np.ptp(fitted[48:68, 1]) < 1e-12 < np.ptp(adult[48:68, 1])
    half = geometry.fit_mouth(adult, template, 0.5)
    assert np.allclose(half, (adult + fitted) / 2)
