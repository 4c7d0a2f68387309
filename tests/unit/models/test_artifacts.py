import json

import pytest

from models.artifacts import (
    ArtifactError,
    current_folder,
    new_version,
    read_manifest,
    set_current,
    write_manifest,
)


@pytest.fixture
def version(tmp_path):
    folder = tmp_path / "ranker" / new_version("test")
    (folder / "torch").mkdir(parents=True)
    (folder / "model.onnx").write_bytes(b"weights")
    (folder / "torch" / "config.json").write_text("{}")
    write_manifest(folder, "ranker", {"max_length": 8}, {"dev": 0.7})
    set_current(folder)
    return folder


def test_round_trip(tmp_path, version):
    assert current_folder(tmp_path, "ranker") == version
    manifest = read_manifest(version)
    assert manifest["inference"] == {"max_length": 8}
    assert set(manifest["files"]) == {"model.onnx", "torch/config.json"}


def test_missing_model_names_the_command_to_train_it(tmp_path):
    with pytest.raises(ArtifactError, match="aisle train sentiment"):
        current_folder(tmp_path, "sentiment")


def test_pointer_to_a_deleted_version(tmp_path, version):
    (tmp_path / "ranker" / "current").write_text("gone\n")
    with pytest.raises(ArtifactError, match="missing version"):
        current_folder(tmp_path, "ranker")


def test_corrupt_file_is_refused(version):
    (version / "model.onnx").write_bytes(b"weightz")
    with pytest.raises(ArtifactError, match="corrupt"):
        read_manifest(version, ["model.onnx"])
    read_manifest(version, ["torch/config.json"])  # only the files asked for are checked


def test_missing_file_and_unreadable_manifest_are_refused(version):
    (version / "model.onnx").unlink()
    with pytest.raises(ArtifactError, match=r"lacks model\.onnx"):
        read_manifest(version)
    (version / "manifest.json").write_text("{not json")
    with pytest.raises(ArtifactError, match="unreadable"):
        read_manifest(version)
    (version / "manifest.json").unlink()
    with pytest.raises(ArtifactError, match=r"no manifest\.json"):
        read_manifest(version)


def test_other_format_is_refused(version):
    manifest = json.loads((version / "manifest.json").read_text())
    (version / "manifest.json").write_text(json.dumps(manifest | {"format": 99}))
    with pytest.raises(ArtifactError, match="format 99"):
        read_manifest(version)
