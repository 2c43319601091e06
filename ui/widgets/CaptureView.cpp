// Renders captured requests and responses for the Console's and Traffic's inspector tabs.
#include "widgets/CaptureView.h"

#include "util/EscapeControl.h"

#include <QFontDatabase>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

QString readableBody(const QByteArray &body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isNull())
        return QString::fromUtf8(document.toJson(QJsonDocument::Indented));
    return QString::fromUtf8(body); // SSE, JSON lines, text: as they crossed the wire
}

} // namespace

CaptureView::CaptureView(QWidget *parent) : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // Streams of thousands of events stay cheap to show.
    setMaximumBlockCount(20000);
}

void CaptureView::setMessage(const telemetry::CapturedMessage &message, const QString &emptyText)
{
    setPlainText(message.isEmpty() ? emptyText : format(message));
}

void CaptureView::setRawText(const QString &text)
{
    setPlainText(text);
}

QString CaptureView::format(const telemetry::CapturedMessage &message)
{
    // The start line and headers are client text: escaped (util::escapeControl); the body is shown as sent.
    QString text = util::escapeControl(message.startLine) + u'\n';
    for (const auto &[name, value] : message.headers())
        text += util::escapeControl(name) + u": "_s + util::escapeControl(value) + u'\n';
    text += u'\n' + readableBody(message.body);
    if (message.truncated)
        text += u"\n… (cut at %1 KiB)"_s.arg(telemetry::CapturedMessage::MaxBody / 1024);
    return text;
}

} // namespace quarry::ui
