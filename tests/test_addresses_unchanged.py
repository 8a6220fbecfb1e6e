"""A deployed stack must never see a move or a replace because the constructs changed.

The goldens were written by the code before the constructs became nestable (see tests/support/corpus.py);
any byte of difference in any stack of any config in the corpus fails here.
"""

from __future__ import annotations

import pytest

from tests.support.corpus import GOLDEN, configs, synthesized

CORPUS = configs()


def test_the_corpus_covers_every_layout_and_feature():
    stacks = {path.parent.name + "/" + path.name for path in GOLDEN.glob("*/*.tf.json")}
    assert {
        "reference/ipam.tf.json",
        "guarded-split/ipam-guardrails.tf.json",
        "deep-split/ipam-delegated.tf.json",
    } <= stacks
    assert {path.name for path in GOLDEN.iterdir()} == set(CORPUS)
    text = "".join(path.read_text() for path in GOLDEN.glob("*/*.tf.json"))
    for feature in (
        '"import"',
        '"removed"',
        "aws_ssm_parameter",
        "aws_organizations_policy",
        "terraform_remote_state",
        '"s3"',
        "prevent_destroy",
    ):
        assert feature in text, feature


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_synthesized_json_is_byte_identical(name, tmp_path):
    stacks = synthesized(CORPUS[name](), tmp_path)
    expected = {path.name.removesuffix(".tf.json"): path.read_text() for path in (GOLDEN / name).glob("*.tf.json")}
    assert set(stacks) == set(expected)
    for stack, text in stacks.items():
        assert text == expected[stack], f"{name}/{stack} changed: a deployed stack would see moves or replaces"
