#!/usr/bin/env python3
"""Writes tests/data/translate/model-ids.json: model id -> the URL path segment Bedrock expects.

The right-hand column comes from botocore.utils.percent_encode, the encoder the AWS SDK for
Python applies to non-greedy URI labels such as {modelId} - not from Quarry's ModelId.
Run with Debian's python3-botocore:  /usr/bin/python3 tests/tools/make-model-ids.py [--check]
"""
import json
import pathlib
import sys

from botocore.utils import percent_encode

# Foundation models, cross-region profiles, ARNs (':' and '/'), and characters that need care.
MODEL_IDS = [
    "amazon.titan-text-lite-v1",
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
    "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc",
    "arn:aws:bedrock:us-west-2::foundation-model/meta.llama3-8b-instruct-v1:0",
    "arn:aws:sagemaker:us-east-1:123456789012:endpoint/my endpoint",
    "model~with_odd.chars+and=more",
    "modèle",
]

TARGET = pathlib.Path(__file__).resolve().parents[1] / "data" / "translate" / "model-ids.json"


def render():
    rows = [json.dumps([model_id, percent_encode(model_id)], ensure_ascii=False) for model_id in MODEL_IDS]
    return "[\n  " + ",\n  ".join(rows) + "\n]\n"


def main():
    text = render()
    if "--check" in sys.argv[1:]:
        if TARGET.read_text(encoding="utf-8") != text:
            sys.exit(f"{TARGET} differs from what botocore produces; rerun without --check")
        print(f"{TARGET.name} matches botocore.utils.percent_encode")
        return
    TARGET.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
