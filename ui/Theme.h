// The app's look: Fusion with the system palette, so light and dark desktops both look native
// enough and every platform renders the same layouts (what the screenshots show).
#pragma once

class QApplication;

namespace quarry::ui {

class Theme
{
public:
    static void apply(QApplication &app);
};

} // namespace quarry::ui
