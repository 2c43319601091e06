// spec.policies.ai on the Backends form.
#include "editors/BackendAiFields.h"

#include "editors/KeyValueTable.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QSpinBox>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

// A cell shows a JSON value as typed: strings bare, everything else as JSON. A string that would
// read back as something else ("true", "3") is shown quoted, so reading the cell gives it back.
QJsonValue parseCell(const QString &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(u"[%1]"_s.arg(text).toUtf8());
    if (doc.isArray() && doc.array().size() == 1)
        return doc.array().at(0);
    return text;
}

QString renderCell(const QJsonValue &value)
{
    if (value.isString() && parseCell(value.toString()) == value)
        return value.toString();
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

// defaults / overrides: [{field, value}]
QList<KeyValueTable::Row> fieldRows(const QJsonArray &entries)
{
    QList<KeyValueTable::Row> rows;
    for (const auto &entry : entries) {
        const QJsonObject object = entry.toObject();
        rows.append({object.value(u"field"_s).toString(), renderCell(object.value(u"value"_s))});
    }
    return rows;
}

QJsonArray fieldEntries(const QList<KeyValueTable::Row> &rows)
{
    QJsonArray entries;
    for (const auto &row : rows)
        entries.append(QJsonObject{{u"field"_s, row.at(0)}, {u"value"_s, parseCell(row.at(1))}});
    return entries;
}

QPlainTextEdit *jsonEdit(const QString &name, const QString &placeholder, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setAccessibleName(name);
    edit->setPlaceholderText(placeholder);
    edit->setTabChangesFocus(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setFixedHeight(edit->fontMetrics().lineSpacing() * 3 + 12);
    return edit;
}

void insertOrRemove(QJsonObject &object, const QString &key, const QJsonValue &value, bool empty)
{
    if (empty)
        object.remove(key);
    else
        object.insert(key, value);
}

} // namespace

BackendAiFields::BackendAiFields(QFormLayout *layout, QWidget *parent)
    : QObject(parent)
    , m_defaults(new KeyValueTable(u"Request defaults"_s, {u"Field"_s, u"Value (JSON or text)"_s}, parent))
    , m_overrides(new KeyValueTable(u"Request overrides"_s, {u"Field"_s, u"Value (JSON or text)"_s}, parent))
    , m_aliases(new KeyValueTable(u"Model aliases"_s, {u"Alias"_s, u"Model ID"_s}, parent))
    , m_cacheSystem(new QCheckBox(u"System prompt"_s, parent))
    , m_cacheMessages(new QCheckBox(u"Messages"_s, parent))
    , m_cacheTools(new QCheckBox(u"Tools"_s, parent))
    , m_cacheMinTokens(new QSpinBox(parent))
    , m_promptGuard(jsonEdit(u"Prompt guard"_s, u"{\"request\": [...], \"response\": [...]}"_s, parent))
    , m_prompt(jsonEdit(u"Prompt templates"_s, u"{\"prepend\": [...], \"append\": [...]}"_s, parent))
{
    m_defaults->setToolTip(u"Set on a request when the client did not send the field"_s);
    m_overrides->setToolTip(u"Set on every request, replacing what the client sent"_s);
    m_cacheMinTokens->setRange(0, 1000000);
    m_cacheMinTokens->setSpecialValueText(u"default"_s);
    m_cacheMinTokens->setAccessibleName(u"Prompt caching minimum tokens"_s);
    auto *caching = new QWidget(parent);
    auto *cachingRow = new QHBoxLayout(caching);
    cachingRow->setContentsMargins(0, 0, 0, 0);
    for (QCheckBox *box : {m_cacheSystem, m_cacheMessages, m_cacheTools}) {
        box->setAccessibleName(u"Cache "_s + box->text());
        cachingRow->addWidget(box);
        connect(box, &QCheckBox::toggled, this, [this] {
            if (!m_filling)
                Q_EMIT edited();
        });
    }
    cachingRow->addStretch(1);
    m_cacheMinTokens->setToolTip(u"Minimum prompt tokens before a cache point is set"_s);
    layout->addRow(u"D&efaults"_s, m_defaults);
    layout->addRow(u"O&verrides"_s, m_overrides);
    layout->addRow(u"Model a&liases"_s, m_aliases);
    layout->addRow(u"Prompt ca&ching"_s, caching);
    layout->addRow(u"Cache mi&n tokens"_s, m_cacheMinTokens);
    layout->addRow(u"Prompt &guard"_s, m_promptGuard);
    layout->addRow(u"Prompt &templates"_s, m_prompt);
    for (KeyValueTable *table : {m_defaults, m_overrides, m_aliases})
        connect(table, &KeyValueTable::edited, this, &BackendAiFields::edited);
    connect(m_cacheMinTokens, &QSpinBox::valueChanged, this, [this] {
        if (!m_filling)
            Q_EMIT edited();
    });
    for (QPlainTextEdit *edit : {m_promptGuard, m_prompt}) {
        connect(edit, &QPlainTextEdit::textChanged, this, [this, edit] { onJsonEdited(edit); });
    }
}

QWidget *BackendAiFields::promptGuardField() const
{
    return m_promptGuard;
}

void BackendAiFields::setAi(const QJsonObject &ai)
{
    m_base = ai;
    m_filling = true;
    m_defaults->setRows(fieldRows(ai.value(u"defaults"_s).toArray()));
    m_overrides->setRows(fieldRows(ai.value(u"overrides"_s).toArray()));
    QList<KeyValueTable::Row> aliases;
    const QJsonObject aliasObject = ai.value(u"modelAliases"_s).toObject();
    for (auto it = aliasObject.begin(); it != aliasObject.end(); ++it)
        aliases.append({it.key(), it.value().toString()});
    m_aliases->setRows(aliases);
    const QJsonObject caching = ai.value(u"promptCaching"_s).toObject();
    m_cacheSystem->setChecked(caching.value(u"cacheSystem"_s).toBool());
    m_cacheMessages->setChecked(caching.value(u"cacheMessages"_s).toBool());
    m_cacheTools->setChecked(caching.value(u"cacheTools"_s).toBool());
    m_cacheMinTokens->setValue(caching.value(u"minTokens"_s).toInt());
    const auto text = [&](const QString &key) {
        const QJsonValue value = ai.value(key);
        return value.isObject() ? QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact))
                                : QString();
    };
    m_promptGuard->setPlainText(text(u"promptGuard"_s));
    m_prompt->setPlainText(text(u"prompt"_s));
    m_filling = false;
}

// Only what the user changed is written: a flag that was `false` in the YAML stays `false`, an
// absent one stays absent.
QJsonObject BackendAiFields::promptCaching() const
{
    QJsonObject caching = m_base.value(u"promptCaching"_s).toObject();
    const auto flag = [&](const QString &key, const QCheckBox *box) {
        if (caching.value(key).toBool() != box->isChecked())
            caching.insert(key, box->isChecked());
    };
    flag(u"cacheSystem"_s, m_cacheSystem);
    flag(u"cacheMessages"_s, m_cacheMessages);
    flag(u"cacheTools"_s, m_cacheTools);
    if (caching.value(u"minTokens"_s).toInt() != m_cacheMinTokens->value())
        insertOrRemove(caching, u"minTokens"_s, m_cacheMinTokens->value(), m_cacheMinTokens->value() == 0);
    return caching;
}

// Until the JSON is whole again the YAML keeps what it had; the field's mark says why.
void BackendAiFields::onJsonEdited(QPlainTextEdit *edit)
{
    const QString text = edit->toPlainText().trimmed();
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (text.isEmpty() || doc.isObject()) {
        m_json.insert(edit, doc.object());
        Q_EMIT inputProblem(edit, QString());
    } else {
        Q_EMIT inputProblem(edit, u"Not a JSON object yet: %1"_s.arg(error.errorString()));
    }
    if (!m_filling)
        Q_EMIT edited();
}

QJsonObject BackendAiFields::ai() const
{
    QJsonObject ai = m_base;
    const auto defaults = fieldEntries(m_defaults->rows());
    insertOrRemove(ai, u"defaults"_s, defaults, defaults.isEmpty());
    const auto overrides = fieldEntries(m_overrides->rows());
    insertOrRemove(ai, u"overrides"_s, overrides, overrides.isEmpty());
    QJsonObject aliases;
    for (const auto &row : m_aliases->rows())
        aliases.insert(row.at(0), row.at(1));
    insertOrRemove(ai, u"modelAliases"_s, aliases, aliases.isEmpty());
    const QJsonObject caching = promptCaching();
    insertOrRemove(ai, u"promptCaching"_s, caching, caching.isEmpty() && !m_base.contains(u"promptCaching"_s));
    const QJsonObject guard = m_json.value(m_promptGuard);
    insertOrRemove(ai, u"promptGuard"_s, guard, guard.isEmpty());
    const QJsonObject prompt = m_json.value(m_prompt);
    insertOrRemove(ai, u"prompt"_s, prompt, prompt.isEmpty());
    return ai;
}

} // namespace quarry::ui
