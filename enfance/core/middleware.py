"""Headers every response carries, static files included (this middleware sits outside
WhiteNoise's)."""

# The browser features the platform never uses, denied to every page and to anything a page
# could embed: a script injected despite the Content Security Policy still cannot reach them.
# Only names Chromium knows (an unknown one is a console warning on every page). WebAuthn is
# denied too: switching it on in MFA_SUPPORTED_TYPES means removing publickey-credentials-get.
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "interest-cohort",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


class PermissionsPolicyMiddleware:
    """Adds the `Permissions-Policy` header (every feature above denied) to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
