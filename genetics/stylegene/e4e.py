"""e4e encoder (Tov et al., "Designing an Encoder for StyleGAN Image Manipulation", SIGGRAPH 2021).

An IR-SE-50 backbone (ArcFace-style improved residual units with squeeze-excitation, Deng et al.
2019) feeds a feature pyramid; one ``GradualStyleBlock`` per W+ row turns a pyramid level into a
512-vector. Row 0 is the base code repeated over every row, rows 1..17 add offsets (the
"progressive" deltas, all active at inference). Names match the released ``e4e_ffhq_encode.pt``
under its ``encoder.`` prefix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from genetics.stylegene.stylegan2 import EqualLinear


@dataclass(frozen=True)
class EncoderConfig:
    """Hyper-parameters of Encoder4Editing (defaults: IR-SE-50 for a 1024² generator)."""

    stage_depths: tuple[int, ...] = (64, 128, 256, 512)  # output width of each backbone stage
    stage_units: tuple[int, ...] = (3, 4, 14, 3)  # residual units per stage (IR-50)
    input_size: int = 256  # image side the encoder expects
    n_latent: int = 18  # W+ rows (18 for a 1024² StyleGAN2)
    style_dim: int = 512  # width of each W+ row
    se_reduction: int = 16  # squeeze-excitation bottleneck ratio
    coarse_rows: int = 3  # rows 0..2 read the 16² level
    middle_rows: int = 7  # rows 3..6 read the 32² level, the rest the 64² level

    @property
    def tap_units(self) -> tuple[int, int, int]:
        """Indices of the backbone units whose outputs feed the pyramid (64², 32², 16²)."""
        ends = [sum(self.stage_units[: i + 1]) - 1 for i in range(len(self.stage_units))]
        return ends[1], ends[2], ends[3]


class SEModule(nn.Module):
    """Squeeze-excitation: scale channels by a sigmoid gate computed from their spatial mean."""

    def __init__(self, channels: int, reduction: int) -> None:
        super().__init__()
        self.fc1 = nn.Conv2d(channels, channels // reduction, 1, bias=False)
        self.fc2 = nn.Conv2d(channels // reduction, channels, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate = x.mean(dim=(2, 3), keepdim=True)
        gate = torch.sigmoid(self.fc2(F.relu(self.fc1(gate))))
        return x * gate


class BottleneckIRSE(nn.Module):
    """Improved residual unit with SE: BN, conv3x3, PReLU, conv3x3 (stride), BN, SE; plus shortcut."""

    def __init__(self, in_channel: int, depth: int, stride: int, reduction: int) -> None:
        super().__init__()
        self.stride = stride
        if in_channel == depth:
            self.shortcut_layer: nn.Module = nn.MaxPool2d(1, stride)
        else:
            self.shortcut_layer = nn.Sequential(
                nn.Conv2d(in_channel, depth, 1, stride, bias=False), nn.BatchNorm2d(depth)
            )
        self.res_layer = nn.Sequential(
            nn.BatchNorm2d(in_channel),
            nn.Conv2d(in_channel, depth, 3, 1, 1, bias=False),
            nn.PReLU(depth),
            nn.Conv2d(depth, depth, 3, stride, 1, bias=False),
            nn.BatchNorm2d(depth),
            SEModule(depth, reduction),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.res_layer(x) + self.shortcut_layer(x)


class GradualStyleBlock(nn.Module):
    """Downsample a ``[B, C, s, s]`` map by stride-2 convs to 1×1 and map it to a ``[B, C]`` code."""

    def __init__(self, channels: int, spatial: int) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        for _ in range(int(math.log2(spatial))):
            layers += [nn.Conv2d(channels, channels, 3, 2, 1), nn.LeakyReLU(0.01)]
        self.convs = nn.Sequential(*layers)
        self.channels = channels
        self.linear = EqualLinear(channels, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(self.convs(x).reshape(-1, self.channels))


class Encoder4Editing(nn.Module):
    """Map an aligned face ``[B, 3, 256, 256]`` in ``[-1, 1]`` to W+ offsets ``[B, 18, 512]``.

    The output excludes the generator's average latent; add ``latent_avg`` to get W+ codes.
    """

    def __init__(self, config: EncoderConfig = EncoderConfig()) -> None:
        super().__init__()
        self.config = config
        first = config.stage_depths[0]
        self.input_layer = nn.Sequential(
            nn.Conv2d(3, first, 3, 1, 1, bias=False), nn.BatchNorm2d(first), nn.PReLU(first)
        )
        units: list[nn.Module] = []
        in_channel = first
        for depth, count in zip(config.stage_depths, config.stage_units):
            for unit in range(count):
                units.append(BottleneckIRSE(in_channel, depth, 2 if unit == 0 else 1, config.se_reduction))
                in_channel = depth
        self.body = nn.Sequential(*units)

        top = config.stage_depths[-1]
        fine = config.input_size // 4  # spatial side of the 64² level after the first two strides
        self.styles = nn.ModuleList()
        for row in range(config.n_latent):
            spatial = fine // 4 if row < config.coarse_rows else fine // 2 if row < config.middle_rows else fine
            self.styles.append(GradualStyleBlock(top, spatial))
        self.latlayer1 = nn.Conv2d(config.stage_depths[2], top, 1)
        self.latlayer2 = nn.Conv2d(config.stage_depths[1], top, 1)

    @staticmethod
    def _upsample_add(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return F.interpolate(x, size=y.shape[-2:], mode="bilinear", align_corners=True) + y

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        cfg = self.config
        if image.ndim != 4 or image.shape[1:] != (3, cfg.input_size, cfg.input_size):
            raise ValueError(f"image must be [B, 3, {cfg.input_size}, {cfg.input_size}], got {tuple(image.shape)}")
        fine_idx, middle_idx, coarse_idx = cfg.tap_units
        x = self.input_layer(image)
        for idx, unit in enumerate(self.body):
            x = unit(x)
            if idx == fine_idx:
                c1 = x
            elif idx == middle_idx:
                c2 = x
            elif idx == coarse_idx:
                c3 = x
        base = self.styles[0](c3)
        codes = base.unsqueeze(1).repeat(1, cfg.n_latent, 1)
        features = c3
        p2 = None
        for row in range(1, cfg.n_latent):
            if row == cfg.coarse_rows:
                p2 = self._upsample_add(c3, self.latlayer1(c2))
                features = p2
            elif row == cfg.middle_rows:
                features = self._upsample_add(p2, self.latlayer2(c1))
            codes[:, row] += self.styles[row](features)
        return codes
