"""FairFace attribute classifier (Kärkkäinen & Joo, "FairFace", WACV 2021): a ResNet-34 (He et al.
2016) with an 18-way head = 7 race + 2 gender + 9 age logits.

Written without torchvision; parameter names match torchvision's ``resnet34`` so the released
``res34_fair_align_multi_7_20190809.pt`` loads with ``strict=True``.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from genetics.engine import AGE_GROUPS, ANCESTRIES, GENDERS

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


@dataclass(frozen=True)
class FairFaceConfig:
    """Hyper-parameters of the FairFace ResNet (defaults: the released ResNet-34, 18 outputs)."""

    widths: tuple[int, ...] = (64, 128, 256, 512)  # channels of the four stages
    blocks: tuple[int, ...] = (3, 4, 6, 3)  # BasicBlocks per stage (ResNet-34)
    num_outputs: int = 18  # 7 race + 2 gender + 9 age logits
    input_size: int = 224  # side of the classifier's input


@dataclass(frozen=True)
class FaceAttributes:
    """FairFace's argmax predictions for one face."""

    race: str
    gender: str
    age_group: str


class BasicBlock(nn.Module):
    """Two 3×3 conv-BN layers with an identity (or 1×1 projected) shortcut."""

    def __init__(self, in_channel: int, out_channel: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channel, out_channel, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channel)
        self.conv2 = nn.Conv2d(out_channel, out_channel, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channel)
        self.downsample: nn.Module | None = None
        if stride != 1 or in_channel != out_channel:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channel, out_channel, 1, stride, bias=False), nn.BatchNorm2d(out_channel)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + identity)


class FairFaceResNet(nn.Module):
    """Map an ImageNet-normalised face ``[B, 3, 224, 224]`` to logits ``[B, 18]``."""

    def __init__(self, config: FairFaceConfig = FairFaceConfig()) -> None:
        super().__init__()
        self.config = config
        first = config.widths[0]
        self.conv1 = nn.Conv2d(3, first, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(first)
        in_channel = first
        for idx, (width, count) in enumerate(zip(config.widths, config.blocks)):
            stride = 1 if idx == 0 else 2
            stage = [BasicBlock(in_channel if b == 0 else width, width, stride if b == 0 else 1) for b in range(count)]
            self.add_module(f"layer{idx + 1}", nn.Sequential(*stage))
            in_channel = width
        self.fc = nn.Linear(in_channel, config.num_outputs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 3, 2, 1)
        for idx in range(len(self.config.widths)):
            x = getattr(self, f"layer{idx + 1}")(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def preprocess_for_fairface(image: torch.Tensor, size: int = 224) -> torch.Tensor:
    """Turn aligned faces ``[B, 3, H, W]`` in ``[-1, 1]`` into FairFace input as StyleGene does.

    Nearest-neighbour resize to ``size`` (the official call's default mode), map to ``[0, 1]``,
    then ImageNet normalisation.
    """
    x = F.interpolate(image, size=(size, size)) * 0.5 + 0.5
    mean = torch.tensor(IMAGENET_MEAN, dtype=x.dtype, device=x.device)[None, :, None, None]
    std = torch.tensor(IMAGENET_STD, dtype=x.dtype, device=x.device)[None, :, None, None]
    return (x - mean) / std


def decode_attributes(logits: torch.Tensor) -> list[FaceAttributes]:
    """Return race, gender and age group per row of ``[B, 18]`` logits (argmax per group)."""
    races = logits[:, :7].argmax(dim=1).tolist()
    genders = logits[:, 7:9].argmax(dim=1).tolist()
    ages = logits[:, 9:18].argmax(dim=1).tolist()
    return [FaceAttributes(ANCESTRIES[r], GENDERS[g], AGE_GROUPS[a]) for r, g, a in zip(races, genders, ages)]
