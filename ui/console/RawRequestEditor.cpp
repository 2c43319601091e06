// Parsing the raw editor's text back into a request: headers one per line, the body strict JSON.
#include "console/RawRequestEditor.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

// 1-based line and column of a character offset, for the JSON error message.
QPair<int, int> lineAndColumn(const QString &text, int offset)
{
    const QString before = text.left(offset);
    const int line = int(before.count(u'\n')) + 1;
    const int column = int(offset - (before.lastIndexOf(u'\n') + 1)) + 1;
    return {line, column};
}

} // namespace

RawRequestEditor::RawRequestEditor(QWidget *parent) : QWidget(parent)
{
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_url = new QLineEdit(this);
    m_url->setObjectName(u"rawUrl"_s);
    m_url->setAccessibleName(tr("Request URL"));
    m_headers = new QPlainTextEdit(this);
    m_headers->setObjectName(u"rawHeaders"_s);
    m_headers->setAccessibleName(tr("Request headers"));
    m_headers->setFont(mono);
    m_headers->setTabChangesFocus(true);
    m_headers->setMaximumHeight(80);
    m_body = new QPlainTextEdit(this);
    m_body->setObjectName(u"rawBody"_s);
    m_body->setAccessibleName(tr("Request body"));
    m_body->setFont(mono);
    m_body->setTabChangesFocus(true);
    m_error = new QLabel(this);
    m_error->setObjectName(u"rawError"_s);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("POST"), m_url);
    form->addRow(tr("Headers"), m_headers);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_body, 1);
    layout->addWidget(m_error);
}

void RawRequestEditor::setRequest(const client::RawRequest &request)
{
    m_api = request.api;
    m_url->setText(request.url.toString(QUrl::FullyEncoded));
    QStringList lines;
    for (const auto &[name, value] : request.headers)
        lines.append(QString::fromLatin1(name + ": " + value));
    m_headers->setPlainText(lines.join(u'\n'));
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    m_body->setPlainText(document.isNull() ? QString::fromUtf8(request.body)
                                           : QString::fromUtf8(document.toJson(QJsonDocument::Indented)));
    showError({});
}

bool RawRequestEditor::isEmpty() const
{
    return m_url->text().isEmpty() && m_body->toPlainText().isEmpty();
}

std::optional<client::RawRequest> RawRequestEditor::request(QString *error)
{
    const auto fail = [this, error](const QString &why) -> std::optional<client::RawRequest> {
        showError(why);
        if (error)
            *error = why;
        return std::nullopt;
    };
    client::RawRequest request;
    request.api = m_api;
    request.url = QUrl(m_url->text().trimmed(), QUrl::StrictMode);
    if (!request.url.isValid() || !request.url.scheme().startsWith(u"http"_s) || request.url.host().isEmpty())
        return fail(tr("The URL is not an http:// address: %1").arg(m_url->text()));
    // RFC 9110 token characters: anything else cannot be a header name.
    static const QRegularExpression name(u"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"_s);
    const QStringList lines = m_headers->toPlainText().split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(u':');
        if (colon <= 0 || !name.match(line.left(colon).trimmed()).hasMatch())
            return fail(tr("Header line %1 is not \"Name: value\": %2").arg(i + 1).arg(line));
        request.headers.append(
            {line.left(colon).trimmed().toLatin1(), line.mid(colon + 1).trimmed().toLatin1()});
    }
    const QString body = m_body->toPlainText();
    QJsonParseError parsed;
    QJsonDocument::fromJson(body.toUtf8(), &parsed);
    if (parsed.error != QJsonParseError::NoError) {
        // The offset counts bytes of UTF-8; the position shown is near enough for a typo.
        const auto [line, column] = lineAndColumn(body, parsed.offset);
        return fail(tr("The body is not valid JSON: %1 at line %2, column %3. Nothing was sent.")
                        .arg(parsed.errorString())
                        .arg(line)
                        .arg(column));
    }
    request.body = body.toUtf8();
    showError({});
    return request;
}

void RawRequestEditor::showError(const QString &error)
{
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
}

} // namespace quarry::ui
