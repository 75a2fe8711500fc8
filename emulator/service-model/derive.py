#!/usr/bin/env python3
"""Derives the request and response shapes the emulator checks from the official AWS service models.

The service models ship with botocore (the AWS SDK for Python). This script reads the operations the chat uses
(bedrock-runtime Converse and ConverseStream, bedrock-agent-runtime Retrieve), walks every shape they reach, and
writes the constraints (types, members, required members, min/max, patterns, enums, sensitive and union traits)
to bedrock-shapes.json beside it. The emulator reads that JSON at run time, so it needs no Python.

    python3 emulator/service-model/derive.py        # rewrites emulator/service-model/bedrock-shapes.json

Re-run it after upgrading botocore; the diff of the JSON shows what AWS changed.
"""

import json
import os
import sys

import botocore
import botocore.session

OPERATIONS = {
    "bedrock-runtime": ["Converse", "ConverseStream"],
    "bedrock-agent-runtime": ["Retrieve"],
}

# Traits the validator and the conformance tests read; documentation and SDK-only traits are left out.
KEPT_TRAITS = ["min", "max", "pattern", "enum", "sensitive", "union", "document", "eventstream", "exception", "error"]


def derive(session):
    services = {}
    for service, operations in OPERATIONS.items():
        model = session.get_service_model(service)
        raw = model._shape_resolver._shape_map  # the model's own JSON, as AWS publishes it
        reached = {}

        def walk(name):
            if name in reached:
                return
            shape = raw[name]
            kept = {"type": shape["type"]}
            for trait in KEPT_TRAITS:
                if trait in shape:
                    kept[trait] = shape[trait]
            if "required" in shape:
                kept["required"] = list(shape["required"])
            if "members" in shape:
                kept["members"] = {}
                for member_name, member in shape["members"].items():
                    entry = {"shape": member["shape"]}
                    for key in ("location", "locationName", "eventpayload"):
                        if key in member:
                            entry[key] = member[key]
                    kept["members"][member_name] = entry
            for key in ("member", "key", "value"):
                if key in shape:
                    kept[key] = shape[key]["shape"]
            reached[name] = kept
            for member in shape.get("members", {}).values():
                walk(member["shape"])
            for key in ("member", "key", "value"):
                if key in shape:
                    walk(shape[key]["shape"])

        described = {}
        for operation_name in operations:
            operation = model.operation_model(operation_name)
            walk(operation.input_shape.name)
            walk(operation.output_shape.name)
            errors = [error.name for error in operation.error_shapes]
            for error in errors:
                walk(error)
            described[operation_name] = {
                "http": {"method": operation.http["method"], "requestUri": operation.http["requestUri"]},
                "input": operation.input_shape.name,
                "output": operation.output_shape.name,
                "errors": errors,
            }
        services[service] = {
            "apiVersion": model.api_version,
            "signingName": model.signing_name,
            "operations": described,
            "shapes": dict(sorted(reached.items())),
        }
    return services


def main():
    session = botocore.session.get_session()
    document = {
        "derivedFrom": f"botocore {botocore.__version__} service models (data/<service>/<apiVersion>/service-2.json)",
        "script": "emulator/service-model/derive.py",
        "services": derive(session),
    }
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bedrock-shapes.json")
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    shapes = sum(len(service["shapes"]) for service in document["services"].values())
    print(f"wrote {os.path.relpath(out)}: {shapes} shapes from botocore {botocore.__version__}", file=sys.stderr)


if __name__ == "__main__":
    main()
