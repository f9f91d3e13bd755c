"""docs/upload-api.yaml is valid OpenAPI 3.1 and both real sides speak it: the uploader and the receiver."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from posapp.hq.receiver import Receiver
from posapp.services.hub import Hub
from posapp.services.intake import IntakeService
from posapp.services.planner import JobPlanner
from posapp.services.upload import UPLOAD_KIND, Uploader
from posapp.store import jobs as jobstore
from posapp.store.db import Database
from tests.factories import make_order

SPEC_PATH = Path(__file__).resolve().parents[2] / "docs" / "upload-api.yaml"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def validator(spec: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    """OpenAPI 3.1 schemas are JSON Schema 2020-12; refs resolve inside the document's components."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_contract_is_openapi_3_1_with_the_batch_operation(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    post = spec["paths"]["/v1/batches"]["post"]
    assert {"200", "401", "503"} <= set(post["responses"])
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_contract_examples_match_their_schemas(spec: dict[str, Any]) -> None:
    validator(spec, "BatchRequest").validate(spec["components"]["examples"]["BatchRequest"]["value"])
    validator(spec, "BatchResponse").validate(spec["components"]["examples"]["BatchResponse"]["value"])


def test_uploader_request_and_receiver_answer_follow_the_contract(
    spec: dict[str, Any], db: Database, tmp_path: Path, arun: Any
) -> None:
    hub, planner = Hub(), JobPlanner()
    uploader = Uploader(db, hub, endpoint="http://unused", store_id="store-1", token_source=lambda: "t")
    uploader.register(planner)
    intake = IntakeService(db, hub, planner)
    arun(intake.ingest(make_order(external_id="CT-1")))
    arun(intake.ingest(make_order(external_id="CT-2")))
    jobs = db.call(lambda s: jobstore.jobs_for(s, UPLOAD_KIND))
    request = uploader.build_request(jobs)
    validator(spec, "BatchRequest").validate(request)
    request["rows"][1]["order"]["currency"] = "cny"  # a row head office must refuse, with a reason

    receiver = Receiver(f"sqlite:///{tmp_path / 'hq.db'}", "t")

    async def exchange() -> tuple[httpx.Response, httpx.Response]:
        await receiver.start()
        try:
            async with httpx.AsyncClient() as client:
                ok = await client.post(receiver.url, json=request, headers={"Authorization": "Bearer t"})
                refused = await client.post(receiver.url, json=request, headers={"Authorization": "Bearer x"})
                return ok, refused
        finally:
            await receiver.stop()
            await uploader.stop()

    try:
        ok, refused = arun(exchange())
    finally:
        receiver.close()
    assert ok.status_code == 200
    validator(spec, "BatchResponse").validate(ok.json())
    assert ok.json()["accepted"] == [jobs[0].payload["key"]]
    assert ok.json()["rejected"] == [
        {"key": jobs[1].payload["key"], "reason": "order.currency 'cny' is not an ISO 4217 code"}
    ]
    assert refused.status_code == 401
    validator(spec, "Error").validate(refused.json())
