// "1 request", "2 requests": counts in the window's sentences, in the user's locale.
#pragma once

#include <QLocale>
#include <QString>

namespace quarry::ui {

inline QString countText(qint64 count, const QString &singular, const QString &plural)
{
    return QLocale().toString(count) + u' ' + (count == 1 ? singular : plural);
}

} // namespace quarry::ui
