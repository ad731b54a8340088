"""StyleGAN2 generator (Karras et al., "Analyzing and Improving the Image Quality of StyleGAN", CVPR 2020).

Parameter names follow the layout of the widely used PyTorch port that StyleGene's released
``stylegan2-ffhq-config-f.pt`` was saved from, so ``g_ema`` loads with ``strict=True``. Every op is
plain PyTorch written from the paper's equations:

* equalised learning rate: weights are stored at unit scale and multiplied by ``1/sqrt(fan_in)``
  (times ``lr_mul`` for the mapping network) at run time;
* modulation/demodulation (paper eq. 1-3): for one sample the style is folded into the weights
  (``W' = W * s * d``, an ordinary convolution); for a batch it is applied to the *activations*
  (``conv(x * s, W) * d``), so the batch shares one ordinary convolution instead of the grouped
  convolution of the reference code, whose CPU kernels are about 2x slower per image;
* on the CPU a batch shares each convolution up to 128² (``CPU_BATCHED_RESOLUTION``), then the
  synthesis network renders one sample at a time in channels-last layout with in-place
  epilogues: at 1024² the activations are 128 MB per layer, and every fresh tensor of that size
  costs more in page faults than the arithmetic done on it (see the benchmark);
* upsampling is a stride-2 transposed convolution followed by a [1,3,3,1] FIR blur, the RGB skip
  branch upsamples with the same FIR filter written as a stride-2 transposed depthwise convolution.

The skip architecture sums an RGB image at every resolution, so :meth:`Generator.forward` can stop
at a lower ``stop_resolution`` and return a preview.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

LRELU_SLOPE = 0.2
LRELU_GAIN = math.sqrt(2.0)  # keeps activations' second moment after leaky ReLU
DEMOD_EPS = 1e-8
CPU_BATCHED_RESOLUTION = 128
"""On the CPU a batch shares each convolution up to this resolution, then renders one sample at a
time (a batch of 8 at 128² holds as much as one image at 1024²: peak memory unchanged)."""


@dataclass(frozen=True)
class GeneratorConfig:
    """Hyper-parameters of a StyleGAN2 generator (defaults: FFHQ 1024² config-f)."""

    size: int = 1024  # output resolution, a power of two >= 4
    style_dim: int = 512  # width of z, w and every W+ row
    n_mlp: int = 8  # layers of the mapping network z -> w
    channel_multiplier: int = 2  # config-f doubles the channels at 128² and above
    lr_mlp: float = 0.01  # equalised-lr multiplier of the mapping network
    max_channels: int = 512  # cap on every layer's width (512 in the released models)

    @property
    def log_size(self) -> int:
        return int(math.log2(self.size))

    @property
    def n_latent(self) -> int:
        """Number of W+ rows the synthesis network reads (18 at 1024²)."""
        return self.log_size * 2 - 2

    @property
    def num_noise_layers(self) -> int:
        return (self.log_size - 2) * 2 + 1

    def channels(self, resolution: int) -> int:
        """Return the feature width at ``resolution``."""
        base = {4: 512, 8: 512, 16: 512, 32: 512, 64: 256, 128: 128, 256: 64, 512: 32, 1024: 16}
        # Up to 32² the width is 512 whatever the multiplier; the cap reproduces that and lets
        # tiny test configurations shrink every layer.
        return min(self.max_channels, base[resolution] * self.channel_multiplier)


def _blur_kernel_2d() -> torch.Tensor:
    """Return the [4, 4] separable [1,3,3,1] FIR kernel normalised to sum 1."""
    k = torch.tensor([1.0, 3.0, 3.0, 1.0])
    k2 = torch.outer(k, k)
    return k2 / k2.sum()


class PixelNorm(nn.Module):
    """Normalise each latent vector to unit root-mean-square."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt(torch.mean(x * x, dim=1, keepdim=True) + 1e-8)


class EqualLinear(nn.Module):
    """Linear layer with equalised learning rate and optional scaled leaky ReLU."""

    def __init__(
        self, in_dim: int, out_dim: int, *, bias_init: float = 0.0, lr_mul: float = 1.0, activation: bool = False
    ) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_dim, in_dim).div_(lr_mul))
        self.bias = nn.Parameter(torch.full((out_dim,), float(bias_init)))
        self.scale = lr_mul / math.sqrt(in_dim)
        self.lr_mul = lr_mul
        self.activation = activation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.activation:
            out = F.linear(x, self.weight * self.scale)
            return F.leaky_relu(out + self.bias * self.lr_mul, LRELU_SLOPE) * LRELU_GAIN
        return F.linear(x, self.weight * self.scale, self.bias * self.lr_mul)


class Blur(nn.Module):
    """Depthwise FIR filter with zero padding ``pad`` on every side (stride 1)."""

    def __init__(self, pad: tuple[int, int], gain: float = 1.0) -> None:
        super().__init__()
        self.register_buffer("kernel", _blur_kernel_2d() * gain)
        self.pad = pad

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        channels = x.shape[1]
        # The kernel is symmetric, so correlation (conv2d) equals the FIR convolution.
        weight = self.kernel.to(x.dtype).expand(channels, 1, *self.kernel.shape)
        p0, p1 = self.pad
        if p0 == p1:
            return F.conv2d(x, weight, padding=p0, groups=channels)
        return F.conv2d(F.pad(x, (p0, p1, p0, p1)), weight, groups=channels)


class Upsample(nn.Module):
    """Upsample by 2 with the FIR kernel (zero insertion, pad (2, 1), filter) in one transposed conv."""

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("kernel", _blur_kernel_2d() * 4.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        channels = x.shape[1]
        weight = self.kernel.to(x.dtype).expand(channels, 1, *self.kernel.shape)
        # conv_transpose with stride 2 and padding 1 equals zero-insertion, pad (2, 1) and the filter.
        return F.conv_transpose2d(x, weight, stride=2, padding=1, groups=channels)


class ModulatedConv2d(nn.Module):
    """Style-modulated convolution (optionally demodulated, optionally upsampling ×2).

    ``x``: ``[B, in, H, W]``; ``style``: ``[B, style_dim]``; returns ``[B, out, H', W']``.
    """

    def __init__(
        self,
        in_channel: int,
        out_channel: int,
        kernel_size: int,
        style_dim: int,
        *,
        demodulate: bool = True,
        upsample: bool = False,
    ) -> None:
        super().__init__()
        self.in_channel = in_channel
        self.out_channel = out_channel
        self.kernel_size = kernel_size
        self.demodulate = demodulate
        self.upsample = upsample
        self.scale = 1.0 / math.sqrt(in_channel * kernel_size * kernel_size)
        self.padding = kernel_size // 2
        if upsample:
            # Transposed conv (k=3, stride 2) gives 2H+1 pixels; blurring with pad 1 brings it to 2H.
            self.blur = Blur(pad=(1, 1), gain=4.0)
        self.weight = nn.Parameter(torch.randn(1, out_channel, in_channel, kernel_size, kernel_size))
        self.modulation = EqualLinear(style_dim, in_channel, bias_init=1.0)

    def forward(self, x: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        s = self.modulation(style)  # [B, in]
        if x.shape[0] == 1:
            return self._forward_folded(x, s)
        weight = self.weight[0] * self.scale  # [out, in, k, k]
        x = x * s[:, :, None, None].to(x.dtype)
        if self.upsample:
            out = F.conv_transpose2d(x, weight.transpose(0, 1).to(x.dtype), stride=2)
        else:
            out = F.conv2d(x, weight.to(x.dtype), padding=self.padding)
        if self.demodulate:
            # d[b, o] = rsqrt(sum_i s[b,i]^2 * sum_k W[o,i,k]^2 + eps): the norm of the modulated weight.
            w_sq = weight.square().sum(dim=(2, 3))  # [out, in]
            demod = torch.rsqrt(s.square() @ w_sq.t() + DEMOD_EPS)  # [B, out]
            out = out * demod[:, :, None, None].to(out.dtype)
        if self.upsample:
            out = self.blur(out)
        return out

    def _forward_folded(self, x: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
        """One sample: fold style and demodulation into the weights (paper eq. 1-3 as written)."""
        weight = self.weight[0] * (self.scale * s[0])[None, :, None, None]  # [out, in, k, k]
        if self.demodulate:
            weight = weight * torch.rsqrt(weight.square().sum(dim=(1, 2, 3), keepdim=True) + DEMOD_EPS)
        weight = weight.to(x.dtype)
        if self.upsample:
            return self.blur(F.conv_transpose2d(x, weight.transpose(0, 1), stride=2))
        return F.conv2d(x, weight, padding=self.padding)


class NoiseInjection(nn.Module):
    """Add per-pixel noise ``[B, 1, H, W]`` scaled by a learned scalar."""

    def __init__(self) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        return x + self.weight.to(x.dtype) * noise.to(x.dtype)


class FusedLeakyReLU(nn.Module):
    """Add a per-channel bias, then leaky ReLU (slope 0.2) times sqrt(2)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.leaky_relu(x + self.bias.to(x.dtype)[None, :, None, None], LRELU_SLOPE) * LRELU_GAIN


class StyledConv(nn.Module):
    """Modulated conv, then noise, then biased scaled leaky ReLU."""

    def __init__(self, in_channel: int, out_channel: int, style_dim: int, *, upsample: bool = False) -> None:
        super().__init__()
        self.conv = ModulatedConv2d(in_channel, out_channel, 3, style_dim, upsample=upsample)
        self.noise = NoiseInjection()
        self.activate = FusedLeakyReLU(out_channel)

    def forward(self, x: torch.Tensor, style: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        out = self.conv(x, style)
        if torch.is_grad_enabled():
            return self.activate(self.noise(out, noise))
        # Inference: the same ops in place on the fresh conv output (no new full-size tensors).
        out.add_(self.noise.weight.to(out.dtype) * noise.to(out.dtype))
        out.add_(self.activate.bias.to(out.dtype)[None, :, None, None])
        return F.leaky_relu_(out, LRELU_SLOPE).mul_(LRELU_GAIN)


class ToRGB(nn.Module):
    """Project features to RGB (no demodulation) and add the upsampled previous RGB skip."""

    def __init__(self, in_channel: int, style_dim: int, *, upsample: bool = True) -> None:
        super().__init__()
        if upsample:
            self.upsample = Upsample()
        self.conv = ModulatedConv2d(in_channel, 3, 1, style_dim, demodulate=False)
        self.bias = nn.Parameter(torch.zeros(1, 3, 1, 1))

    def forward(self, x: torch.Tensor, style: torch.Tensor, skip: torch.Tensor | None = None) -> torch.Tensor:
        out = self.conv(x, style) + self.bias.to(x.dtype)
        if skip is not None:
            out += self.upsample(skip)
        return out


class ConstantInput(nn.Module):
    """Learned constant ``[1, C, 4, 4]`` that starts the synthesis network."""

    def __init__(self, channels: int, size: int = 4) -> None:
        super().__init__()
        self.input = nn.Parameter(torch.randn(1, channels, size, size))

    def forward(self, batch: int) -> torch.Tensor:
        return self.input.expand(batch, -1, -1, -1)


class Generator(nn.Module):
    """StyleGAN2 generator with skip RGB outputs.

    :meth:`synthesis` maps W+ latents ``[B, n_latent, style_dim]`` to images ``[B, 3, S, S]`` with
    nominal range ``[-1, 1]`` (not clamped). :meth:`mapping` maps z ``[B, style_dim]`` to w.
    """

    def __init__(self, config: GeneratorConfig = GeneratorConfig()) -> None:
        super().__init__()
        self.config = config
        dim = config.style_dim
        layers: list[nn.Module] = [PixelNorm()]
        layers += [EqualLinear(dim, dim, lr_mul=config.lr_mlp, activation=True) for _ in range(config.n_mlp)]
        self.style = nn.Sequential(*layers)

        self.input = ConstantInput(config.channels(4))
        self.conv1 = StyledConv(config.channels(4), config.channels(4), dim)
        self.to_rgb1 = ToRGB(config.channels(4), dim, upsample=False)

        self.convs = nn.ModuleList()
        self.to_rgbs = nn.ModuleList()
        self.noises = nn.Module()
        for layer_idx in range(config.num_noise_layers):
            res = 2 ** ((layer_idx + 5) // 2)
            self.noises.register_buffer(f"noise_{layer_idx}", torch.randn(1, 1, res, res))
        in_channel = config.channels(4)
        for log_res in range(3, config.log_size + 1):
            out_channel = config.channels(2**log_res)
            self.convs.append(StyledConv(in_channel, out_channel, dim, upsample=True))
            self.convs.append(StyledConv(out_channel, out_channel, dim))
            self.to_rgbs.append(ToRGB(out_channel, dim))
            in_channel = out_channel

    def mapping(self, z: torch.Tensor) -> torch.Tensor:
        """Map z ``[B, style_dim]`` (standard normal) to w ``[B, style_dim]``."""
        return self.style(z)

    def make_noise(
        self,
        batch: int,
        *,
        generator: torch.Generator | None = None,
        device: torch.device | str | None = None,
        stop_resolution: int | None = None,
    ) -> list[torch.Tensor]:
        """Draw fresh per-layer noise ``[B, 1, r, r]`` from ``generator`` (the official per-call noise)."""
        device = device if device is not None else self.input.input.device
        noises = []
        for layer_idx in range(self.config.num_noise_layers):
            res = 2 ** ((layer_idx + 5) // 2)
            if stop_resolution is not None and res > stop_resolution:
                break
            noises.append(torch.randn(batch, 1, res, res, generator=generator, device=device))
        return noises

    def constant_noise(self) -> list[torch.Tensor]:
        """Return the stored noise buffers (``randomize_noise=False`` in the official code)."""
        return [getattr(self.noises, f"noise_{i}") for i in range(self.config.num_noise_layers)]

    def synthesis(
        self, latents: torch.Tensor, noise: list[torch.Tensor] | None = None, *, stop_resolution: int | None = None
    ) -> torch.Tensor:
        """Render W+ ``[B, n_latent, style_dim]`` to RGB ``[B, 3, R, R]``, R = ``stop_resolution`` or size.

        ``noise`` is a list of per-layer tensors broadcastable to ``[B, 1, r, r]``; ``None`` uses
        the stored constant buffers. Rows beyond the stop resolution are not read.
        """
        cfg = self.config
        if latents.ndim != 3 or latents.shape[1:] != (cfg.n_latent, cfg.style_dim):
            raise ValueError(f"latents must be [B, {cfg.n_latent}, {cfg.style_dim}], got {tuple(latents.shape)}")
        stop = cfg.size if stop_resolution is None else stop_resolution
        if stop < 4 or stop > cfg.size or stop & (stop - 1):
            raise ValueError(f"stop_resolution must be a power of two in [4, {cfg.size}], got {stop}")
        if noise is None:
            noise = self.constant_noise()
        batch = latents.shape[0]
        out, skip = self._start(latents, noise)
        if latents.device.type != "cpu" or batch == 1 or torch.is_grad_enabled():
            return self._stages(out, skip, latents, noise, 8, stop)[1].contiguous()
        # CPU batch: up to CPU_BATCHED_RESOLUTION the batch shares each convolution (small maps
        # leave cores idle one sample at a time: 1.7-2.4x faster here); above it, one sample at a
        # time keeps the working set small (a 1024² map is 128 MB per image) and uses folded weights.
        split = min(stop, CPU_BATCHED_RESOLUTION)
        out, skip = self._stages(out, skip, latents, noise, 8, split)
        if split == stop:
            return skip.contiguous()
        return torch.cat(
            [
                self._stages(
                    out[i : i + 1],
                    skip[i : i + 1],
                    latents[i : i + 1],
                    [n[i : i + 1] if n.shape[0] > 1 else n for n in noise],
                    2 * split,
                    stop,
                )[1].contiguous()
                for i in range(batch)
            ]
        )

    def _start(self, latents: torch.Tensor, noise: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        """Return the 4x4 features and RGB skip (constant input, first conv, first ToRGB)."""
        out = self.input(latents.shape[0]).to(latents.dtype)
        if out.device.type == "cpu":
            out = out.contiguous(memory_format=torch.channels_last)  # oneDNN's fast layout
        out = self.conv1(out, latents[:, 0], noise[0])
        return out, self.to_rgb1(out, latents[:, 1])

    def _stages(
        self,
        out: torch.Tensor,
        skip: torch.Tensor,
        latents: torch.Tensor,
        noise: list[torch.Tensor],
        first: int,
        last: int,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Run the resolutions ``first..last`` (powers of two >= 8): upsampling conv, conv, ToRGB."""
        for stage, to_rgb in enumerate(self.to_rgbs):
            resolution = 2 ** (stage + 3)
            if resolution < first:
                continue
            if resolution > last:
                break
            row = 2 * stage + 1  # W+ rows: conv_up, conv, to_rgb read rows 2s+1, 2s+2, 2s+3
            up, conv = self.convs[2 * stage], self.convs[2 * stage + 1]
            out = up(out, latents[:, row], noise[2 * stage + 1])
            out = conv(out, latents[:, row + 1], noise[2 * stage + 2])
            skip = to_rgb(out, latents[:, row + 2], skip)
        return out, skip

    def forward(
        self, latents: torch.Tensor, noise: list[torch.Tensor] | None = None, *, stop_resolution: int | None = None
    ) -> torch.Tensor:
        """Alias of :meth:`synthesis` (W+ input, as StyleGene always calls it)."""
        return self.synthesis(latents, noise, stop_resolution=stop_resolution)
