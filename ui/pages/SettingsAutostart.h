// "Start at login": on Linux an XDG autostart entry (~/.config/autostart/quarry.desktop);
// elsewhere not offered yet.
#pragma once

#include "util/Result.h"

#include <QString>

namespace quarry::ui {

class SettingsAutostart
{
public:
    static bool supported();
    static QString entryPath();
    static bool enabled();
    // Writes or removes the entry; `executable` is what the entry runs.
    static Status setEnabled(bool on, const QString &executable);
};

} // namespace quarry::ui
