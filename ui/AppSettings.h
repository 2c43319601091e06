// The desktop app's own preferences (QSettings), as opposed to the gateway config in resources.yaml:
// start minimised, window geometry. The listener is not here: it lives in the Gateway resource.
#pragma once

#include <QByteArray>
#include <QList>

namespace quarry::ui {

class AppSettings
{
public:
    static bool startMinimised();
    static void setStartMinimised(bool on);

    // Browser origins the window's gateway lets in (besides $QUARRY_ALLOWED_ORIGINS).
    static QList<QByteArray> allowedOrigins();
    static void setAllowedOrigins(const QList<QByteArray> &origins);

    static QByteArray windowGeometry();
    static void setWindowGeometry(const QByteArray &geometry);
};

} // namespace quarry::ui
