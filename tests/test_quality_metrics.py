"""Quality that can be measured: a metric that fits the task, a drafted definition of a correct
label, gold items seeded by the customer and kept apart from the random audit sample."""

from __future__ import annotations

import pytest

from contractkit import rules
from contractkit.assemble import assemble
from contractkit.hygiene import document_problems
from contractkit.library import load_library
from contractkit.spec import QualityMetric

from helpers import EXAMPLES, LIDAR, bundle_texts, spec_variant, tree_text

REFERENCE = EXAMPLES / "reference.yaml"
SPEECH = EXAMPLES / "speech-flex.yaml"


@pytest.mark.parametrize(
    ("modality", "metric"),
    [
        ("image", QualityMetric.iou),
        ("video", QualityMetric.iou),
        ("lidar", QualityMetric.iou_3d),
        ("audio", QualityMetric.wer),
        ("text", QualityMetric.accuracy),
        ("multimodal", QualityMetric.accuracy),
    ],
)
def test_the_metric_defaults_by_modality(modality: str, metric: QualityMetric) -> None:
    spec = spec_variant(
        LIDAR,
        {
            "workloads.0.modality": modality,
            "workloads.0.quality.metric": None,
            "workloads.0.quality.match_threshold": None,
        },
    )
    assert spec.workloads[0].quality_metric is metric


def test_each_metric_is_stated_with_its_definition_of_a_correct_label() -> None:
    msa = bundle_texts(spec_variant(REFERENCE, {}))["msa"]
    assert (
        "CT scan organ segmentation | accuracy of at least 98%, a label being correct at a Dice "
        "coefficient of at least 0.90 |"
    ) in msa
    assert "Clinical note entity tagging | span-level F1 of at least 0.95 |" in msa
    assert (
        "Dice coefficient. The Dice coefficient of a delivered mask is twice the area or volume "
        "it shares with the gold mask, divided by the sum of their areas or volumes."
    ) in msa
    assert (
        "Span-level F1. A delivered span is correct when its start, its end and its type all "
        "match a gold span exactly."
    ) in msa
    assert "Word error rate." not in msa


def test_a_transcription_target_is_a_word_error_rate() -> None:
    msa = bundle_texts(spec_variant(SPEECH, {}))["msa"]
    assert "Call-centre audio transcription | word error rate of at most 4% |" in msa
    assert (
        "Word error rate. The word error rate is the number of words substituted, deleted and "
        "inserted in the delivered transcripts, compared with the gold transcripts"
    ) in msa
    assert "Accuracy. An item is labeled correctly when every label on it matches" in msa


def test_a_missing_overlap_threshold_is_a_counsel_point() -> None:
    spec = spec_variant(
        LIDAR, {"workloads.0.quality.metric": None, "workloads.0.quality.match_threshold": None}
    )
    msa = bundle_texts(spec)["msa"]
    assert (
        "a label being correct at a three-dimensional intersection over union (3D IoU) of at "
        "least [COUNSEL: least three-dimensional intersection over union (3D IoU) for a correct "
        "label]"
    ) in msa


def test_gold_items_are_seeded_by_the_customer_and_kept_apart_from_the_audit_sample() -> None:
    msa = bundle_texts(spec_variant(REFERENCE, {}))["msa"]
    assert (
        "which Acme, or a person it appoints, seeds into production batches without identifying "
        "them to Nimbus"
    ) in msa
    assert "Nimbus shall not try to identify gold items" in msa
    assert "reports the audit results apart from the gold-item results, never combined" in msa
    assert "which Nimbus shall seed into production batches" not in msa


def test_an_overlap_threshold_for_another_metric_is_refused() -> None:
    spec = spec_variant(SPEECH, {})
    workload = spec.workloads[0].model_copy(
        update={"quality": spec.workloads[0].quality.model_copy(update={"match_threshold": 0.5})}
    )
    spec = spec.model_copy(update={"workloads": [workload, *spec.workloads[1:]]})
    findings = [(f.path, f.message) for f in rules.check(spec) if f.severity == "error"]
    assert findings == [
        (
            ("workloads", 0, "quality", "match_threshold"),
            "workload 'call-transcription' is measured by wer; match_threshold applies only to "
            "dice, iou and iou_3d",
        )
    ]


@pytest.mark.parametrize("metric", [m.value for m in QualityMetric])
def test_every_metric_drafts_a_clean_schedule(metric: str) -> None:
    changes: dict[str, object] = {"workloads.0.quality.metric": metric}
    if metric not in ("dice", "iou", "iou_3d"):
        changes["workloads.0.quality.match_threshold"] = None
    spec = spec_variant(LIDAR, changes)
    library = load_library()
    trees = assemble(spec, library)
    assert document_problems(spec, trees, library) == []
    msa = tree_text(next(t for t in trees if t.key == "msa"))
    assert "A correct label is defined for each measure used as follows." in msa
