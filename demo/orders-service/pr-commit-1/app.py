import sqlite3
import subprocess

import yaml
from flask import Flask, jsonify, request

app = Flask(__name__)
app.config["SECRET_KEY"] = "sk_live_9f8a7b6c5d4e3f2a1b0c9d8e"


def db():
    return sqlite3.connect("orders.db")


@app.route("/health")
def health():
    return jsonify(status="ok")


@app.route("/orders")
def orders():
    customer = request.args.get("customer", "")
    rows = db().execute(f"SELECT id, total FROM orders WHERE customer = '{customer}'").fetchall()
    return jsonify(rows)


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    output = subprocess.check_output(f"ping -c 1 {host}", shell=True)
    return output


@app.route("/settings", methods=["POST"])
def import_settings():
    settings = yaml.load(request.data)
    return jsonify(settings)


if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
