DROP TRIGGER comments_no_spam;
