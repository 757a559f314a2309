"""The floor for the callback benchmark: a bare Flask route returning a small JSON, nothing else."""

from flask import Flask, jsonify

server = Flask(__name__)


@server.post("/floor")
def floor():
    return jsonify({"ok": True, "value": 560})
