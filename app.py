"""Overfit Lab: ``streamlit run app.py [-- --read-only]``. The router and the sidebar are in ``ui/router.py``."""

# Streamlit runs this file as __main__. The job manager's spawned training workers import it again as __mp_main__:
# there it must neither draw the app nor run a page, and the import stays here so workers skip streamlit.
if __name__ == "__main__":
    from ui.router import main

    main()
