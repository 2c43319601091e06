// Marks a form field with the message `quarry apply` gives for it, and finds which field a
// manifest error is about from the field path inside the message.
#pragma once

#include <QString>

class QWidget;

namespace quarry::ui {

class FieldError
{
public:
    // The first manifest path in an error, e.g. "spec.ai.provider.bedrock.region" from
    //   AgentgatewayBackend "x": spec.ai.provider.bedrock.region: invalid value ...
    // Empty when the message names no field (e.g. a YAML syntax error).
    static QString pathIn(const QString &message);
    // Whether `path` is `prefix` or below it ("spec.rules[0].x" is under "spec.rules").
    static bool isUnder(const QString &path, const QString &prefix);

    // Red border, the message as tooltip and accessible description.
    static void mark(QWidget *field, const QString &message);
    static void clear(QWidget *field);
    static QString messageOf(const QWidget *field); // empty when not marked
};

} // namespace quarry::ui
