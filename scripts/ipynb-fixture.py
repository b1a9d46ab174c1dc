"""Makes a real Jupyter notebook for the .ipynb import/export tests: written by nbformat and executed
by an IPython kernel, so its outputs are exactly what Jupyter stores (arrays of lines, stream, rich
display data with images, execute results, an error with an ANSI traceback), in nbformat 4.4 (no
cell ids) as older notebooks are.

Run with Debian's python (python3-nbformat, python3-nbconvert, python3-ipykernel, python3-matplotlib):
    PATH=/usr/bin:$PATH /usr/bin/python3 scripts/ipynb-fixture.py
"""
import pathlib

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor

OUT = pathlib.Path(__file__).resolve().parent.parent / "core" / "notebook" / "fixtures" / "jupyter-executed.ipynb"

nb = nbformat.v4.new_notebook()
nb.cells = [
    nbformat.v4.new_markdown_cell("# Churn model\n\nA *real* notebook, executed by Jupyter.\n\n- stream\n- display\n- error"),
    nbformat.v4.new_code_cell("import sys\nprint('training on', 400, 'rows')\nprint('a warning', file=sys.stderr)\nfor i in range(3):\n    print('epoch', i)"),
    nbformat.v4.new_code_cell("from IPython.display import HTML, display\ndisplay(HTML('<b>bold</b> <script>alert(1)</script>'))\n{'loss': 0.25, 'epochs': [1, 2, 3]}"),
    nbformat.v4.new_code_cell(
        "%matplotlib inline\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(2, 1.5))\nax.plot([1, 3, 2])\nfrom IPython.display import display\ndisplay(fig)\nplt.close(fig)"
    ),
    nbformat.v4.new_code_cell("def f(x):\n    return 1 / x\nf(0)"),
    nbformat.v4.new_raw_cell("raw text stays raw"),
]
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
ExecutePreprocessor(timeout=120, kernel_name="python3", allow_errors=True).preprocess(nb, {"metadata": {"path": "."}})
# Written as nbformat 4.4: no cell ids, as notebooks made before 2021 are.
nb.nbformat_minor = 4
for cell in nb.cells:
    cell.pop("id", None)
OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(nbformat.writes(nb, version=4, capture_validation_error={}))
print("wrote", OUT)
