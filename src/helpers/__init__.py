"""Helpers of the AI-war report: data loading, charts, language and publishing.

Notebooks stay thin: they call into these modules, where pytest can reach the logic.
"""
