"""Tiny configurations of every network; the activation-scaling modulated conv against the
per-sample-weight (grouped conv) formulation of the paper."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from genetics.stylegene.fairface import preprocess_for_fairface
from genetics.stylegene.stylegan2 import ModulatedConv2d, Upsample


def _grouped_modconv(conv: ModulatedConv2d, x: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
    """Paper eq. 1-3 literally: per-sample weights, one grouped convolution over the batch."""
    batch, in_ch, height, width = x.shape
    s = conv.modulation(style).view(batch, 1, in_ch, 1, 1)
    weight = conv.scale * conv.weight * s
    if conv.demodulate:
        weight = weight * torch.rsqrt(weight.pow(2).sum(dim=(2, 3, 4), keepdim=True) + 1e-8)
    k = conv.kernel_size
    x = x.reshape(1, batch * in_ch, height, width)
    if conv.upsample:
        weight = weight.transpose(1, 2).reshape(batch * in_ch, conv.out_channel, k, k)
        out = F.conv_transpose2d(x, weight, stride=2, groups=batch)
        out = out.reshape(batch, conv.out_channel, *out.shape[-2:])
        return conv.blur(out)
    out = F.conv2d(x, weight.reshape(batch * conv.out_channel, in_ch, k, k), padding=k // 2, groups=batch)
    return out.reshape(batch, conv.out_channel, height, width)


@pytest.mark.parametrize("upsample", [False, True])
@pytest.mark.parametrize("demodulate", [False, True])
def test_modulated_conv_matches_grouped_formulation(upsample, demodulate):
    torch.manual_seed(0)
    conv = ModulatedConv2d(6, 5, 3, 8, demodulate=demodulate, upsample=upsample)
    with torch.no_grad():
        conv.modulation.bias.normal_()
    x, style = torch.randn(3, 6, 7, 7), torch.randn(3, 8)
    assert torch.allclose(conv(x, style), _grouped_modconv(conv, x, style), atol=1e-5)


def test_upsample_equals_zero_insertion_pad_and_filter():
    x = torch.randn(2, 3, 5, 5)
    up = Upsample()
    zeros = torch.zeros(2, 3, 10, 10)
    zeros[:, :, ::2, ::2] = x
    padded = F.pad(zeros, (2, 1, 2, 1))
    expected = F.conv2d(padded, up.kernel.flip(0, 1).expand(3, 1, 4, 4), groups=3)
    assert torch.allclose(up(x), expected, atol=1e-6)


def test_generator_shapes_preview_and_checks(make_tiny_networks):
    generator = make_tiny_networks()["generator"]
    latents = torch.randn(2, 8, 16)
    with torch.no_grad():
        full = generator(latents)
        preview = generator(latents, stop_resolution=8)
        noise = generator.make_noise(2, generator=torch.Generator().manual_seed(0))
        noisy = generator(latents, noise)
        w = generator.mapping(torch.randn(2, 16))
    assert full.shape == (2, 3, 32, 32) and preview.shape == (2, 3, 8, 8) and w.shape == (2, 16)
    assert not torch.equal(noisy, full)
    with pytest.raises(ValueError):
        generator(torch.randn(2, 7, 16))
    with pytest.raises(ValueError):
        generator(latents, stop_resolution=12)


def test_batched_path_matches_per_sample_path(make_tiny_networks):
    """The batch-wide path (CUDA, or training) and the CPU per-sample inference path agree."""
    generator = make_tiny_networks()["generator"]
    latents = torch.randn(3, 8, 16)
    noise = generator.make_noise(3, generator=torch.Generator().manual_seed(1))
    batched = generator(latents, noise)  # grad enabled: one batched forward, out-of-place ops
    with torch.no_grad():
        per_sample = generator(latents, noise)
    assert torch.allclose(batched.detach(), per_sample, atol=1e-5)


def test_encoder_mappers_fairface_shapes(make_tiny_networks):
    nets = make_tiny_networks()
    image = torch.rand(2, 3, 256, 256) * 2 - 1
    with torch.no_grad():
        codes = nets["encoder"](image)
        mu, logvar = nets["w2sub"](codes)
        wplus = nets["sub2w"](mu)
        logits = nets["fairface"](preprocess_for_fairface(image))
    assert codes.shape == (2, 8, 16)
    assert mu.shape == logvar.shape == (2, 8, 34, 16)
    assert float(mu.abs().max()) <= 1.0 and float(logvar.abs().max()) <= 1.0  # tanh heads
    assert wplus.shape == (2, 8, 16) and logits.shape == (2, 18)
    with pytest.raises(ValueError):
        nets["encoder"](torch.zeros(1, 3, 128, 128))
    with pytest.raises(ValueError):
        nets["sub2w"](torch.zeros(1, 8, 33, 16))


def test_mapper_rows_are_independent_in_batch(make_tiny_networks):
    nets = make_tiny_networks()
    w = torch.randn(3, 8, 16)
    with torch.no_grad():
        batched = nets["w2sub"](w)[0]
        single = nets["w2sub"](w[1:2])[0]
    assert torch.allclose(batched[1:2], single, atol=1e-5)


@pytest.mark.gpu
def test_fp16_generator_close_to_fp32_on_cuda(make_tiny_networks):
    if not torch.cuda.is_available():
        pytest.skip("needs CUDA")
    generator = make_tiny_networks()["generator"].cuda()
    latents = torch.randn(2, 8, 16, device="cuda")
    with torch.no_grad():
        ref = generator(latents)
        half = generator.half()(latents.half()).float()
    assert float((ref - half).abs().max()) < 2e-2
