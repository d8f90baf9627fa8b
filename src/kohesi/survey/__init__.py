"""Survey instruments: validated cohesion scales as data files, printable questionnaires, scoring.

>>> from kohesi.survey import available_scales, load_scale
>>> load_scale("perceived-cohesion").parts()["morale"]
('pcs4', 'pcs5', 'pcs6')
"""

from kohesi.survey.scales import Item, Scale, available_scales, load_scale, parse_scale
from kohesi.survey.score import MISSING_RULE, SurveyResult, read_responses, score, score_csv
from kohesi.survey.template import csv_header, render_questionnaire

__all__ = ["Item", "Scale", "available_scales", "load_scale", "parse_scale", "MISSING_RULE", "SurveyResult",
           "read_responses", "score", "score_csv", "csv_header", "render_questionnaire"]
