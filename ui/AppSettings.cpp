// QSettings keys of the desktop app, in one place.
#include "AppSettings.h"

#include <QSettings>
#include <QStringList>

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

QList<QByteArray> AppSettings::allowedOrigins()
{
    QList<QByteArray> origins;
    for (const QString &origin : QSettings().value(u"gateway/allowedOrigins"_s).toStringList())
        origins.append(origin.toUtf8());
    return origins;
}

void AppSettings::setAllowedOrigins(const QList<QByteArray> &origins)
{
    QStringList list;
    for (const QByteArray &origin : origins)
        list.append(QString::fromUtf8(origin));
    QSettings().setValue(u"gateway/allowedOrigins"_s, list);
}

QByteArray AppSettings::windowGeometry()
{
    return QSettings().value(u"window/geometry"_s).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    QSettings().setValue(u"window/geometry"_s, geometry);
}

QString AppSettings::windowPage()
{
    return QSettings().value(u"window/page"_s).toString();
}

void AppSettings::setWindowPage(const QString &page)
{
    QSettings().setValue(u"window/page"_s, page);
}

QByteArray AppSettings::splitterState(const QString &name)
{
    return QSettings().value(u"splitters/"_s + name).toByteArray();
}

void AppSettings::setSplitterState(const QString &name, const QByteArray &state)
{
    QSettings().setValue(u"splitters/"_s + name, state);
}

} // namespace quarry::ui
