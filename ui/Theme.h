// The app's look: Fusion drawing everywhere (every platform renders the same layouts, which the
// screenshots show) with a light or a dark palette. "System" keeps the platform theme's palette,
// so the window follows the desktop where Qt reports it (macOS, Windows, a Linux desktop with a
// platform theme); where it cannot tell (Linux without QT_QPA_PLATFORMTHEME), Settings offers
// Light and Dark. Qt 6.4 has no colour-scheme API: dark or light is read off the palette.
#pragma once

#include <QString>

#include <optional>

class QApplication;
class QPalette;

namespace quarry::ui {

class Theme
{
public:
    enum class Mode { System, Light, Dark };

    // Fusion, with the platform's palette until setMode() says otherwise.
    static void apply(QApplication &app);
    // The palette for `mode`, applied to the whole app at once; may be called at any time.
    static void setMode(Mode mode);
    static Mode mode(); // what setMode() was last given

    // What the window starts with: $QUARRY_THEME (light, dark or system; the screenshots use it)
    // when set, else the choice saved in Settings, else System.
    static Mode startupMode();
    static Mode saved();
    static void save(Mode mode);
    static QString name(Mode mode); // "system", "light", "dark"
    static std::optional<Mode> fromName(const QString &name);

    static bool isDark(const QPalette &palette);
    static QPalette lightPalette();
    static QPalette darkPalette();
};

} // namespace quarry::ui
