// Field error marking for the resource forms.
#include "editors/FieldError.h"

#include <QRegularExpression>
#include <QVariant>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {
const char *const kErrorProperty = "quarryFieldError";
}

QString FieldError::pathIn(const QString &message)
{
    // Paths are written by the config module's FieldReader: dotted keys and [index] parts.
    static const QRegularExpression kPath(u"\\b((?:metadata|spec)(?:\\.[A-Za-z0-9_-]+|\\[\\d+\\])*)"_s);
    const auto match = kPath.match(message);
    return match.hasMatch() ? match.captured(1) : QString();
}

bool FieldError::isUnder(const QString &path, const QString &prefix)
{
    if (!path.startsWith(prefix))
        return false;
    if (path.size() == prefix.size())
        return true;
    const QChar next = path.at(prefix.size());
    return next == u'.' || next == u'[';
}

void FieldError::mark(QWidget *field, const QString &message)
{
    field->setProperty(kErrorProperty, message);
    field->setToolTip(message);
    field->setAccessibleDescription(message);
    // Scoped to the widget's own class so child widgets (e.g. a combo's popup) keep their look.
    field->setStyleSheet(QString::fromLatin1(field->metaObject()->className())
                         + u" { border: 2px solid #d32f2f; border-radius: 3px; }"_s);
}

void FieldError::clear(QWidget *field)
{
    if (messageOf(field).isEmpty())
        return;
    field->setProperty(kErrorProperty, QVariant());
    field->setToolTip(QString());
    field->setAccessibleDescription(QString());
    field->setStyleSheet(QString());
}

QString FieldError::messageOf(const QWidget *field)
{
    return field->property(kErrorProperty).toString();
}

} // namespace quarry::ui
