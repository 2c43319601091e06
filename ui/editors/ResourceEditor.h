// A resource shown twice, side by side: a form and its YAML manifest, kept in step. Editing the
// form rewrites the YAML; editing the YAML refills the form. Both are checked by the same
// parser `quarry apply` uses, and its message is shown at the field it is about.
#pragma once

#include "config/Resources.h"
#include "editors/YamlEdit.h"
#include "secrets/SecretId.h"

#include <QWidget>

class QLabel;
class QTimer;

namespace quarry::ui {

class ResourceForm;

class ResourceEditor : public QWidget
{
    Q_OBJECT
public:
    // Takes ownership of form.
    explicit ResourceEditor(ResourceForm *form, QWidget *parent = nullptr);

    ResourceForm *form() const { return m_form; }
    YamlEdit *yamlView() const { return m_yaml; }
    QLabel *yamlErrorLabel() const { return m_yamlError; }
    QLabel *formErrorLabel() const { return m_formError; }
    QLabel *warningLabel() const { return m_warning; }

    // Unsaved edits, kept while the user looks at another resource: what the form shows and what
    // the YAML says. Both are kept because they can differ (a value the parser refuses is in the
    // YAML and in the form, but in no parsed resource).
    struct Draft
    {
        config::Resource form;
        QString yaml;
    };

    // Loads a resource into both views and clears errors and the modified flag.
    void setResource(const config::Resource &resource);
    Draft draft() const;
    // Shows a draft as it was left: same form, same YAML, same error; modified.
    void restore(const Draft &draft);
    // The resource as edited, when both views agree and it parses; else nullopt (see error()).
    std::optional<config::Resource> resource() const;
    QString error() const { return m_error; }
    // Whether the YAML differs from what was loaded or saved: undoing every edit makes it
    // unmodified again. setModified(false) takes the current text as saved; setModified(true)
    // marks it unsaved whatever it says (a new resource).
    bool isModified() const { return m_modified; }
    void setModified(bool modified);
    // Shows an error from elsewhere (e.g. ConfigStore::apply) at its field.
    void showError(const QString &message);
    // Warnings about the resource as edited (e.g. a backend that does not exist), under the form.
    // They never block Save: `quarry apply` takes such a resource too.
    void setWarnings(const QStringList &warnings);

    // How long typing in the YAML view settles before it is parsed.
    static constexpr int kYamlSettleMs = 250;

public Q_SLOTS:
    void syncFromYaml(); // parse the YAML view now (normally after kYamlSettleMs)

Q_SIGNALS:
    void modifiedChanged(bool modified);
    void validityChanged(bool valid);
    void currentChanged(); // resource() may hold something else now
    // A warning's link: the user wants to create this secret (on the Credentials page).
    void secretRequested(const secrets::SecretId &id);

private:
    void onFormEdited();
    void setError(const QString &message, bool fromYaml);
    void writeYaml(const QByteArray &yaml);
    void updateModified();

    ResourceForm *m_form;
    YamlEdit *m_yaml;
    QLabel *m_formError;
    QLabel *m_yamlError;
    QLabel *m_warning;
    QTimer *m_yamlSettle;
    std::optional<config::Resource> m_current;
    QString m_error;
    std::optional<QString> m_savedYaml; // what isModified() compares with; none: always modified
    bool m_modified = false;
    bool m_writingYaml = false;
};

} // namespace quarry::ui
