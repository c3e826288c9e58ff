from flask import Blueprint

bp = Blueprint("oneroster", __name__)
