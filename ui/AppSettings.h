// The desktop app's own preferences (QSettings), as opposed to the gateway config in resources.yaml:
// start minimised, window geometry and page. The listener is not here: it lives in the Gateway resource.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

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

    // The page the window last showed, by name ("Traffic"), so a reordered sidebar still finds it.
    static QString windowPage();
    static void setWindowPage(const QString &page);
};

} // namespace quarry::ui
