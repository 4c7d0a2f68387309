"""``aisle eval ranking`` and ``aisle eval sentiment``: predictions for any file in the formats of
docs/models.md ("Commands"), metrics next to the baselines when it carries labels, and a small
report with a plot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.evaluation import InputError, Plot, read_pairs, read_rows, write_csv, write_report
from core.metrics import accuracy, accuracy_by_group, ndcg_at_k, pairwise_accuracy
from core.settings import Settings
from models import baselines

RANKING_COLUMNS = ("id", "product_uid", "product_title", "search_term")
SENTIMENT_COLUMNS = ("id", "text")
POLAR = ("negative", "positive")
# Neutral turns of these kinds (evalsets/README.md, "Shopper sentiment") are plain requests and
# refinements: the share of them read neutral is the figure issue 12 sets a target for.
PLAIN_KINDS = frozenset(
    {"request", "refinement", "negated-request", "reference", "cart", "order", "bare-product",
     "hinglish", "typo", "smalltalk"}
)  # fmt: skip
_LABEL_ALIASES = {
    "positive": "positive", "pos": "positive", "1": "positive", "+1": "positive",
    "negative": "negative", "neg": "negative", "0": "negative", "-1": "negative",
    "neutral": "neutral", "neu": "neutral",
}  # fmt: skip


def evaluate_ranking(settings: Settings, input: Path, predictions: Path) -> dict[str, Any] | None:
    """Score every (search term, product title) row with the current ranker, write ``id,score``;
    with a ``relevance`` column, return metrics for the model and the baselines."""
    from models.ranker import Ranker

    rows = read_rows(input, RANKING_COLUMNS)
    ranker = Ranker.load(settings)
    queries = [r["search_term"] for r in rows]
    titles = [r["product_title"] for r in rows]
    scores = ranker.score_pairs(queries, titles)
    write_csv(
        predictions,
        ("id", "score"),
        [(r["id"], repr(s)) for r, s in zip(rows, scores, strict=True)],
    )
    if not rows or not all((r.get("relevance") or "").strip() for r in rows):
        return None
    relevance = [float(r["relevance"]) for r in rows]
    systems = {
        "model": scores,
        "random": baselines.random_scores(len(rows)),
        "bm25": baselines.bm25_scores(queries, titles),
        "minilm_cosine": baselines.cosine_scores(queries, titles, settings.encoder_path()),
    }
    metrics: dict[str, Any] = {
        "pairwise_accuracy": {
            name: round(pairwise_accuracy(queries, relevance, s, min_gap=0.5), 4)
            for name, s in systems.items()
        },
        "ndcg@10": {
            name: round(ndcg_at_k(queries, relevance, s, k=10), 4) for name, s in systems.items()
        },
        "rows": len(rows),
        "search_terms": len(set(queries)),
        "model_version": ranker.folder.name,
        "backend": ranker.backend,
    }
    _report(
        predictions,
        "Ranking: model vs baselines",
        metrics,
        {"pairwise acc.": metrics["pairwise_accuracy"], "nDCG@10": metrics["ndcg@10"]},
    )
    return metrics


def _report(predictions: Path, title: str, metrics: dict[str, Any], bars: dict) -> None:
    """``<predictions>_report.md`` and ``.png``: grouped bars of {group: {system: value}}."""
    plot = Plot(title, bars=bars, ylim=(0, 1), size=(1.8 + 1.6 * len(bars), 3.6))
    write_report(
        predictions.with_name(predictions.stem + "_report"), title, metrics, plot, predictions
    )


def normalise_label(value: str) -> str:
    """``positive``/``negative``/``neutral`` from common spellings (pos, neg, 1, 0, -1…)."""
    label = _LABEL_ALIASES.get(value.strip().lower())
    if label is None:
        raise InputError(f"unknown sentiment label {value!r}; use positive, negative or neutral")
    return label


def sentiment_breakdown(
    truth: list[str], predicted: list[str], kinds: list[str] | None
) -> dict[str, Any]:
    """Recall per gold label; with ``kinds``, accuracy per ``label/kind`` and the share of plain
    requests (neutral rows of a ``PLAIN_KINDS`` kind) read neutral."""
    out: dict[str, Any] = {
        "per_label": {
            label: {"model": round(acc, 4), "rows": truth.count(label)}
            for label, acc in accuracy_by_group(truth, truth, predicted).items()
        }
    }
    if kinds is None:
        return out
    groups = [f"{label}/{kind}" for label, kind in zip(truth, kinds, strict=True)]
    out["per_kind"] = {
        group: {"model": round(acc, 4), "rows": groups.count(group)}
        for group, acc in accuracy_by_group(groups, truth, predicted).items()
    }
    plain = [
        p for t, k, p in zip(truth, kinds, predicted, strict=True)
        if t == "neutral" and k in PLAIN_KINDS
    ]  # fmt: skip
    if plain:
        out["plain_requests_neutral"] = {
            "model": round(plain.count("neutral") / len(plain), 4),
            "rows": len(plain),
        }
    return out


def evaluate_sentiment(
    settings: Settings, input: Path, predictions: Path, label_set: str = "auto"
) -> dict[str, Any] | None:
    """Classify every ``text``, write ``id,label,score``; with a ``label`` column, return accuracy
    (overall and per ``source`` column value) for the model and VADER, and the model's
    ``sentiment_breakdown`` (per ``kind`` when that column exists).

    ``label_set``: ``binary`` (negative/positive only: the neutral class is ignored and the score
    renormalised over the two), ``three``, or ``auto`` = binary when every gold label is
    negative or positive."""
    from models.sentiment import LABELS, SentimentModel

    rows = read_rows(input, SENTIMENT_COLUMNS)
    labelled = bool(rows) and all((r.get("label") or "").strip() for r in rows)
    truth = [normalise_label(r["label"]) for r in rows] if labelled else []
    if label_set == "auto":
        label_set = "binary" if labelled and set(truth) <= set(POLAR) else "three"
    if label_set not in ("binary", "three"):
        raise InputError(f"label set must be auto, binary or three, not {label_set!r}")
    binary = label_set == "binary"
    model = SentimentModel.load(settings)
    texts = [r["text"] for r in rows]
    predicted = model.predict(texts, POLAR if binary else LABELS)
    write_csv(
        predictions,
        ("id", "label", "score"),
        [
            (r["id"], label, f"{score:.4f}")
            for r, (label, score) in zip(rows, predicted, strict=True)
        ],
    )
    if not labelled:
        return None
    labels = [label for label, _ in predicted]
    vader = baselines.vader_labels(texts, binary)
    metrics: dict[str, Any] = {
        "accuracy": {
            "model": round(accuracy(truth, labels), 4),
            "vader": round(accuracy(truth, vader), 4),
        },
        "label_set": label_set,
        "rows": len(rows),
        "model_version": model.folder.name,
        "backend": model.backend,
    }
    kinds = [r["kind"] for r in rows] if all(r.get("kind") for r in rows) else None
    metrics |= sentiment_breakdown(truth, labels, kinds)
    plot = {"all": metrics["accuracy"]}
    if all(r.get("source") for r in rows):
        sources = [r["source"] for r in rows]
        ours, theirs = (
            accuracy_by_group(sources, truth, labels),
            accuracy_by_group(sources, truth, vader),
        )
        metrics["per_source"] = {
            s: {"model": round(ours[s], 4), "vader": round(theirs[s], 4), "rows": sources.count(s)}
            for s in ours
        }
        plot |= {s: {"model": ours[s], "vader": theirs[s]} for s in ours}
    _report(predictions, "Sentiment: model vs VADER", metrics, plot)
    return metrics


def write_dev_sets(settings: Settings, out_dir: Path) -> list[Path]:
    """Write the training dev splits in the evaluation formats (ranking with relevance; polar
    sentiment texts with label and source), for ``aisle eval`` on dev. Research-licensed data:
    refuses a folder inside the repository other than the state folder."""
    from core.settings import REPO_ROOT
    from models.data.home_depot import split_pairs, train_file
    from models.data.sentiment_corpus import read_corpus, split_corpus
    from models.ranker_training import RankerConfig
    from models.sentiment_training import SentimentConfig

    out_dir = out_dir.resolve()
    if out_dir.is_relative_to(REPO_ROOT) and not out_dir.is_relative_to(
        settings.state_dir.resolve()
    ):
        raise InputError(f"{out_dir} is inside the repository: the data must not be copied there")
    ranker, sentiment = RankerConfig(), SentimentConfig()
    _, dev_pairs = split_pairs(
        read_pairs(train_file(settings.data_dir)), ranker.dev_fraction, ranker.seed
    )
    _, dev_texts = split_corpus(
        read_corpus(settings.data_dir), sentiment.dev_fraction, sentiment.seed
    )
    ranking, sentiment_path = out_dir / "ranking_dev.csv", out_dir / "sentiment_dev.csv"
    write_csv(
        ranking,
        (*RANKING_COLUMNS, "relevance"),
        [(p.id, p.product_uid, p.product_title, p.search_term, p.relevance) for p in dev_pairs],
    )
    write_csv(
        sentiment_path,
        ("id", "text", "label", "source", "kind"),
        [
            (i, t.text, t.label, t.source, t.kind)
            for i, t in enumerate(dev_texts)
            if t.label in POLAR
        ],
    )
    return [ranking, sentiment_path]
