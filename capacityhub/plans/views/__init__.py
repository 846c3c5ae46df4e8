"""Views of the plans app, by page family: plans, questionnaires, cycles (with analysis and synthesis), and
submissions."""
