// The AI policies of a backend (spec.policies.ai): request defaults and overrides, model aliases,
// prompt caching, and prompt guard / prompt templates as JSON. Keys it does not show (routes) are
// kept, and a section the user did not touch is written back exactly as it was read.
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QFormLayout;
class QPlainTextEdit;
class QSpinBox;

namespace quarry::ui {

class KeyValueTable;

class BackendAiFields : public QObject
{
    Q_OBJECT
public:
    BackendAiFields(QFormLayout *layout, QWidget *parent);

    void setAi(const QJsonObject &ai);
    QJsonObject ai() const;

    KeyValueTable *defaults() const { return m_defaults; }
    KeyValueTable *overrides() const { return m_overrides; }
    KeyValueTable *aliases() const { return m_aliases; }
    QWidget *promptGuardField() const;

Q_SIGNALS:
    void edited();
    void inputProblem(QWidget *field, const QString &problem); // empty: the field is fine again

private:
    QJsonObject promptCaching() const;
    void onJsonEdited(QPlainTextEdit *edit);

    QJsonObject m_base;
    KeyValueTable *m_defaults;
    KeyValueTable *m_overrides;
    KeyValueTable *m_aliases;
    QCheckBox *m_cacheSystem;
    QCheckBox *m_cacheMessages;
    QCheckBox *m_cacheTools;
    QSpinBox *m_cacheMinTokens;
    QPlainTextEdit *m_promptGuard;
    QPlainTextEdit *m_prompt;
    // The last whole JSON object each text held (empty = none): a half-typed text leaves it.
    QHash<const QPlainTextEdit *, QJsonObject> m_json;
    bool m_filling = false;
};

} // namespace quarry::ui
