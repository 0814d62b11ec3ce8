# answers.jq - builds screening_question_answers for every question of an inquire response,
# with plausible values by question type and unified_key. Used by the README walk-through:
#   jq -f examples/walkthrough/answers.jq inquire.json
def text_answer:
  if .unified_key == "EMAIL" then "ada.lovelace@example.com"
  elif .unified_key == "FIRST_NAME" then "Ada"
  elif .unified_key == "LAST_NAME" then "Lovelace"
  elif .unified_key == "FULL_NAME" then "Ada Lovelace"
  elif ((.unified_key // "") | test("PHONE")) then "+49 30 1234567"
  elif ((.unified_key // "") == "RESIDENCE_ZIP_CODE") then "10115"
  elif (.label | test("(?i)linkedin|url|github|website|portfolio")) then "https://example.com/ada"
  else "I enjoy building reliable systems." end;
def answer:
  if .question_type == "TEXT" then text_answer
  elif .question_type == "NUMBER" then 5
  elif .question_type == "DATE" then "2027-01-15"
  elif .question_type == "BOOLEAN" then true
  elif .question_type == "SINGLE_SELECT" then .options[0].id
  elif .question_type == "MULTI_SELECT" then [.options[0].id]
  elif .question_type == "FILE" then
    {name: "resume.pdf", content_type: "application/pdf", data: "JVBERi0xLjQKJSVFT0YK"}
  else null end;
[.data.application_form[] | recurse(.children[]?) | select(.block_type == "QUESTION")
 | {question_id, answer: answer}]
