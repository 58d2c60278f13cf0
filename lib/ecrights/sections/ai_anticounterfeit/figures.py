"""Figures of 二(二)4 · 二(四): "the main reason" across weights; Alibaba's public figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...index_composition import IndexStatements
from ...plotting import PALETTE, label, mark_assumption, new_figure


def counterfeit_share_figure(w_dispute: float, threshold: float, statements: IndexStatements, language: str):
    """Share of the total change attributable to counterfeit perception, over w_c."""
    s = statements
    fig, ax = new_figure(7.5, 4)
    w_c = np.linspace(0, 1 - w_dispute, 101)
    share = w_c * s.counterfeit_change / s.total_change * 100
    ax.plot(w_c, share, color=PALETTE[0])
    ax.axhline(100, color="#999999", ls=":", lw=1)
    if np.isfinite(threshold):
        ax.axvline(threshold, color=PALETTE[3], ls="--",
                   label=label(f"w_c ≥ {threshold:.2f}：假货感知为最大贡献项",
                               f"w_c ≥ {threshold:.2f}: counterfeit perception is the largest contributor", language))
        ax.legend(fontsize=8)
    ax.set_xlabel(label("假货感知比率权重 w_c", "weight of counterfeit perception w_c", language))
    ax.set_ylabel(label("占总指数降幅的比例 (%)", "share of the total fall (%)", language))
    ax.set_title(label(f"“主要原因”：假货感知变动对 {s.total_change:+g} 点的贡献（w_d={w_dispute:.2f}）",
                       f"'The main reason': counterfeit perception's share of the {s.total_change:+g} points "
                       f"(w_d={w_dispute:.2f})", language), fontsize=10)
    mark_assumption(ax, language)
    return fig, pd.DataFrame({"w_counterfeit": w_c, "counterfeit_share_pct": share, "w_dispute": w_dispute,
                              "threshold": threshold})


def alibaba_infringement_figure(rows: pd.DataFrame, language: str):
    """Alibaba's public suspected-infringement figures per 10,000 orders/transactions."""
    fig, ax = new_figure(7, 3.6)
    rows = rows.sort_values("period")
    ax.plot(rows["period"].astype(int), rows["value"], marker="o", color=PALETTE[1])
    for _, r in rows.iterrows():
        ax.text(int(r["period"]), r["value"] + 0.04, f"{r['value']:g}", ha="center", fontsize=8)
    ax.set_xticks(rows["period"].astype(int))
    ax.set_ylim(0, rows["value"].max() * 1.25)
    ax.set_ylabel(label("每万笔疑似侵权", "suspected infringement per 10,000", language))
    ax.set_title(label("阿里巴巴知识产权保护年报：每万笔订单疑似侵权笔数",
                       "Alibaba IP-protection reports: suspected infringement per 10,000 orders", language),
                 fontsize=10)
    return fig, rows[["period", "value", "unit", "publication", "stat_id"]].reset_index(drop=True)
