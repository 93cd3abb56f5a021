"""What the demo (setup/demo.py) and the tests' factories both build records with.

It lives outside the test package because the demo is production code: nothing the app ships imports
`charity_beneficiary.tests` (ruff's banned-api rule in pyproject.toml refuses it).
"""

# A 1×1 PNG as a data URL: the smallest signature the signature check (verification/signature.py)
# accepts, for the demo's signed receipt and the tests' signed declarations and receipts.
SIGNATURE = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
