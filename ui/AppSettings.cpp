// QSettings keys of the desktop app, in one place.
#include "AppSettings.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace quarry::ui {

std::optional<AppSettings::Listen> AppSettings::listen()
{
    QSettings settings;
    const QHostAddress address(settings.value(u"listener/address"_s).toString());
    const int port = settings.value(u"listener/port"_s, 0).toInt();
    // Loopback only: a hand-edited settings file must not expose the gateway to the network.
    if (address.isNull() || !address.isLoopback() || port <= 0 || port > 65535)
        return std::nullopt;
    return Listen{address, static_cast<quint16>(port)};
}

void AppSettings::setListen(const Listen &listen)
{
    QSettings settings;
    settings.setValue(u"listener/address"_s, listen.address.toString());
    settings.setValue(u"listener/port"_s, listen.port);
}

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
