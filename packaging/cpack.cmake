# Shared CPack settings (WIX on Windows, DragNDrop on macOS).
