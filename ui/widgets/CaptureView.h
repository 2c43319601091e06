// A read-only view of one captured HTTP message: start line, redacted headers, readable body.
#pragma once

#include "telemetry/TrafficRecord.h"

#include <QPlainTextEdit>

namespace quarry::ui {

class CaptureView : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit CaptureView(QWidget *parent = nullptr);

    void setMessage(const telemetry::CapturedMessage &message, const QString &emptyText);
    void setRawText(const QString &text);

    // JSON bodies pretty-printed; SSE and JSON-lines bodies shown one event per line as sent.
    static QString format(const telemetry::CapturedMessage &message);
};

} // namespace quarry::ui
