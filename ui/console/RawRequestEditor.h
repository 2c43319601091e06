// The console's raw request: URL, headers and JSON body as Send would make them, editable before
// sending. A mistake is reported in place and nothing typed is lost.
#pragma once

#include "client/ChatRequest.h"

#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace quarry::ui {

class RawRequestEditor : public QWidget
{
    Q_OBJECT
public:
    explicit RawRequestEditor(QWidget *parent = nullptr);

    // Shows `request`, its body pretty-printed; `api` is kept to read the answer with.
    void setRequest(const client::RawRequest &request);
    // The request as edited, or nullopt with the reason shown under the editor (and returned in
    // `error`): malformed JSON (line and column), a header line without "Name: value", a bad URL.
    std::optional<client::RawRequest> request(QString *error = nullptr);
    bool isEmpty() const;

private:
    void showError(const QString &error);

    client::ChatApi m_api = client::ChatApi::OpenAiChat;
    QLineEdit *m_url = nullptr;
    QPlainTextEdit *m_headers = nullptr;
    QPlainTextEdit *m_body = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace quarry::ui
