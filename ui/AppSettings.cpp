// QSettings keys of the desktop app, in one place.
#include "AppSettings.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace quarry::ui {

bool AppSettings::startMinimised()
{
    return QSettings().value(u"window/startMinimised"_s, false).toBool();
}

void AppSettings::setStartMinimised(bool on)
{
    QSettings().setValue(u"window/startMinimised"_s, on);
}

QByteArray AppSettings::windowGeometry()
{
    return QSettings().value(u"window/geometry"_s).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    QSettings().setValue(u"window/geometry"_s, geometry);
}

} // namespace quarry::ui
