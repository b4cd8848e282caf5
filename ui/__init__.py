"""Pure helpers for the dashboard: figures, URL state, uploads. No streamlit imports here."""
