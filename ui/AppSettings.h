// The desktop app's own preferences (QSettings), as opposed to the gateway config in resources.yaml:
// start minimised, window geometry and page, where splitters were dragged. The listener is not
// here: it lives in the Gateway resource.
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

    // Where a splitter's dividers were last dragged (QSplitter::saveState()), by the splitter's
    // name; empty when never.
    static QByteArray splitterState(const QString &name);
    static void setSplitterState(const QString &name, const QByteArray &state);
};

} // namespace quarry::ui
