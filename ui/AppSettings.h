// The desktop app's own preferences (QSettings), as opposed to the gateway config in resources.yaml:
// listener override, start minimised, window geometry.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>

#include <optional>

namespace quarry::ui {

class AppSettings
{
public:
    struct Listen
    {
        QHostAddress address;
        quint16 port = 0;
    };
    // Set from the Settings page; overrides the Gateway resource's listener at startup.
    static std::optional<Listen> listen();
    static void setListen(const Listen &listen);

    static bool startMinimised();
    static void setStartMinimised(bool on);

    static QByteArray windowGeometry();
    static void setWindowGeometry(const QByteArray &geometry);
};

} // namespace quarry::ui
