// The XDG autostart entry behind "Start at login".
#include "pages/SettingsAutostart.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace quarry::ui {

bool SettingsAutostart::supported()
{
#if defined(Q_OS_LINUX)
    return true;
#else
    return false;
#endif
}

QString SettingsAutostart::entryPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + u"/autostart/quarry.desktop"_s;
}

bool SettingsAutostart::enabled()
{
    return supported() && QFileInfo::exists(entryPath());
}

Status SettingsAutostart::setEnabled(bool on, const QString &executable)
{
    if (!supported())
        return Status::failure(u"start at login is not supported on this system yet"_s);
    const QString path = entryPath();
    if (!on) {
        if (QFileInfo::exists(path) && !QFile::remove(path))
            return Status::failure(u"cannot remove %1"_s.arg(path));
        return Status{Ok{}};
    }
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return Status::failure(u"cannot create %1"_s.arg(QFileInfo(path).absolutePath()));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    // Exec quoting per the Desktop Entry spec: the path in double quotes.
    const QString entry = u"[Desktop Entry]\nType=Application\nName=Quarry\n"
                          u"Comment=Local AI gateway in front of Amazon Bedrock\n"
                          u"Exec=\"%1\"\nIcon=quarry\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"_s.arg(executable);
    file.write(entry.toUtf8());
    if (!file.commit())
        return Status::failure(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    return Status{Ok{}};
}

} // namespace quarry::ui
