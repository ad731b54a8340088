"""StyleGene's latent-based gene mappers (Li et al., "StyleGene: Crossover and Mutation of
Region-level Facial Genes for Kinship Face Synthesis", CVPR 2023).

``MappingW2Sub`` (checkpoint prefix ``w2sub34``) encodes a W+ latent into a Gaussian over
region-level facial genes (RFG): one 512-vector per (W+ row, face region); ``MappingSub2W``
(prefix ``sub2w``) decodes genes back to W+. Both are MLP-Mixer stacks (Tolstikhin et al. 2021)
over ``rows × regions`` tokens. Token ``t`` stands for row ``t // regions`` and region
``t % regions``.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

LAYERNORM_EPS = 1e-5  # torch's default, as in the released models


@dataclass(frozen=True)
class MapperConfig:
    """Hyper-parameters shared by both gene mappers (defaults: the released N=18 model)."""

    n_rows: int = 18  # W+ rows N of the generator
    n_regions: int = 34  # face regions (see ``genetics.stylegene.regions``)
    dim: int = 512  # channels per token (= W+ width)
    token_expansion: int = 4  # hidden width of the token-mixing MLP = tokens * 4
    channel_hidden: int = 256  # hidden width of the channel-mixing MLP = dim / 2
    encoder_depth: int = 8  # Mixer blocks in the W2Sub trunk
    head_depth: int = 2  # Mixer blocks in each of the mu / log-variance heads
    decoder_depth: int = 6  # Mixer blocks in Sub2W
    dropout: float = 0.1  # training only; inactive in eval mode

    @property
    def tokens(self) -> int:
        return self.n_rows * self.n_regions


class PreNormResidual(nn.Module):
    """``x + fn(LayerNorm(x))`` with the norm over the channel (last) axis."""

    def __init__(self, dim: int, fn: nn.Module) -> None:
        super().__init__()
        self.fn = fn
        self.norm = nn.LayerNorm(dim, eps=LAYERNORM_EPS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fn(self.norm(x)) + x


class TokenMixing(nn.Conv1d):
    """1x1 Conv1d over the token axis of ``[B, tokens, dim]`` (weights ``[out, in, 1]`` as released),
    computed as a batched matrix product: about twice as fast as oneDNN's conv1d on the CPU."""

    def __init__(self, in_tokens: int, out_tokens: int) -> None:
        super().__init__(in_tokens, out_tokens, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, _, length = x.shape
        weight = self.weight[:, :, 0].expand(batch, -1, -1)
        bias = self.bias[None, :, None].expand(batch, -1, length)
        return torch.baddbmm(bias, weight, x)


def _feed_forward(dim: int, hidden: int, dropout: float, *, token_mixing: bool) -> nn.Sequential:
    # Token mixing runs on [B, tokens, dim] with tokens as conv channels, so it is a 1x1 Conv1d
    # (weights [out, in, 1]); channel mixing is a Linear over the last axis.
    if token_mixing:
        first, second = TokenMixing(dim, hidden), TokenMixing(hidden, dim)
    else:
        first, second = nn.Linear(dim, hidden), nn.Linear(hidden, dim)
    return nn.Sequential(first, nn.GELU(), nn.Dropout(dropout), second, nn.Dropout(dropout))


def mixer_block(config: MapperConfig) -> nn.Sequential:
    """Return one Mixer block: token-mixing then channel-mixing, each pre-normed and residual."""
    tokens = config.tokens
    return nn.Sequential(
        PreNormResidual(
            config.dim, _feed_forward(tokens, tokens * config.token_expansion, config.dropout, token_mixing=True)
        ),
        PreNormResidual(
            config.dim, _feed_forward(config.dim, config.channel_hidden, config.dropout, token_mixing=False)
        ),
    )


class _RowsToTokens(nn.Module):
    """``[B, N, D] -> [B, D, N]`` so a Linear can expand the row axis into tokens."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.transpose(1, 2)


class _GenesToTokens(nn.Module):
    """``[B, N, R, D] -> [B, N*R, D]`` (row-major: token = row * R + region)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.flatten(1, 2)


class MappingW2Sub(nn.Module):
    """Encode W+ ``[B, N, 512]`` into gene means and log-variances ``[B, N, R, 512]`` in ``[-1, 1]``."""

    def __init__(self, config: MapperConfig = MapperConfig()) -> None:
        super().__init__()
        self.config = config
        blocks = [mixer_block(config) for _ in range(config.encoder_depth)]
        self.layer = nn.Sequential(
            _RowsToTokens(),
            nn.Linear(config.n_rows, config.tokens),
            _RowsToTokens(),
            *blocks,
            nn.LayerNorm(config.dim, eps=LAYERNORM_EPS),
        )
        self.mu_fc = self._head()
        self.var_fc = self._head()

    def _head(self) -> nn.Sequential:
        blocks = [mixer_block(self.config) for _ in range(self.config.head_depth)]
        return nn.Sequential(*blocks, nn.LayerNorm(self.config.dim, eps=LAYERNORM_EPS), nn.Tanh())

    def forward(self, wplus: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Return ``(mu, logvar)``, each ``[B, N, R, 512]``; no sample is drawn (callers do that)."""
        cfg = self.config
        if wplus.ndim != 3 or wplus.shape[1:] != (cfg.n_rows, cfg.dim):
            raise ValueError(f"W+ must be [B, {cfg.n_rows}, {cfg.dim}], got {tuple(wplus.shape)}")
        features = self.layer(wplus)
        shape = (wplus.shape[0], cfg.n_rows, cfg.n_regions, cfg.dim)
        return self.mu_fc(features).reshape(shape), self.var_fc(features).reshape(shape)


class MappingSub2W(nn.Module):
    """Decode genes ``[B, N, R, 512]`` into a W+ latent ``[B, N, 512]``."""

    def __init__(self, config: MapperConfig = MapperConfig()) -> None:
        super().__init__()
        self.config = config
        blocks = [mixer_block(config) for _ in range(config.decoder_depth)]
        self.layer = nn.Sequential(
            _GenesToTokens(),
            *blocks,
            nn.LayerNorm(config.dim, eps=LAYERNORM_EPS),
            _RowsToTokens(),
            nn.Linear(config.tokens, config.tokens),
            nn.LayerNorm(config.tokens, eps=LAYERNORM_EPS),
            nn.GELU(),
            nn.Linear(config.tokens, config.n_rows),
        )

    def forward(self, genes: torch.Tensor) -> torch.Tensor:
        cfg = self.config
        expected = (cfg.n_rows, cfg.n_regions, cfg.dim)
        if genes.ndim != 4 or genes.shape[1:] != expected:
            raise ValueError(f"genes must be [B, {', '.join(map(str, expected))}], got {tuple(genes.shape)}")
        return self.layer(genes).transpose(1, 2)


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor, generator: torch.Generator | None) -> torch.Tensor:
    """Sample ``mu + eps * exp(logvar / 2)`` with ``eps`` drawn from ``generator``."""
    eps = torch.randn(mu.shape, generator=generator, dtype=mu.dtype, device=mu.device)
    return mu + eps * torch.exp(0.5 * logvar)
